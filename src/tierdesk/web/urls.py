from django.contrib.auth import views as auth_views
from django.urls import path

from tierdesk.web.views import auth, desk, kb, portal, reports

app_name = "web"

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("desk/login/", auth.LoginView.as_view(), name="desk_login"),
    path("portal/login/", auth.LoginView.as_view(), name="portal_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", auth.choose_language, name="language"),
    # Agent desk
    path("desk/", desk.desk, name="desk"),
    path("desk/queue-bar/", desk.queue_bar, name="queue_bar"),
    path("desk/queues/<slug:key>/", desk.queue, name="queue"),
    path("desk/tickets/<int:ticket_id>/", desk.ticket, name="ticket"),
    path("desk/tickets/<int:ticket_id>/reply/", desk.reply, name="ticket_reply"),
    path("desk/tickets/<int:ticket_id>/note/", desk.note, name="ticket_note"),
    path("desk/tickets/<int:ticket_id>/assign/", desk.assign, name="ticket_assign"),
    path("desk/tickets/<int:ticket_id>/status/", desk.change_status, name="ticket_status"),
    path("desk/tickets/<int:ticket_id>/escalate/", desk.escalate, name="ticket_escalate"),
    path("desk/tickets/<int:ticket_id>/deescalate/", desk.deescalate, name="ticket_deescalate"),
    path("desk/tickets/<int:ticket_id>/transfer/", desk.transfer, name="ticket_transfer"),
    path("desk/tickets/<int:ticket_id>/resolve/", desk.resolve, name="ticket_resolve"),
    path("desk/tickets/<int:ticket_id>/reopen/", desk.reopen, name="ticket_reopen"),
    path(
        "desk/tickets/<int:ticket_id>/organization/",
        desk.change_organization_view,
        name="ticket_organization",
    ),
    path("desk/reports/", reports.reports, name="desk_reports"),
    path("desk/reports/monthly/", reports.monthly, name="desk_reports_monthly"),
    path("desk/search/", kb.desk_search, name="desk_search"),
    path("desk/kb/", kb.desk_articles, name="desk_articles"),
    path("desk/kb/new/", kb.desk_article_new, name="desk_article_new"),
    path("desk/kb/deflection/", kb.desk_deflection, name="desk_deflection"),
    path("desk/kb/<int:article_id>/", kb.desk_article_edit, name="desk_article_edit"),
    path("desk/kb/<int:article_id>/<slug:move>/", kb.desk_article_move, name="desk_article_move"),
    path(
        "desk/tickets/<int:ticket_id>/article/",
        kb.desk_article_from_ticket,
        name="ticket_article",
    ),
    # Knowledge base (L0): customers, and visitors when TIERDESK_KB_PUBLIC allows
    path("kb/", kb.kb_home, name="kb_home"),
    path("kb/search/", kb.kb_search, name="kb_search"),
    path("kb/<int:article_id>/", kb.kb_article, name="kb_article"),
    path("kb/<int:article_id>/feedback/", kb.kb_feedback, name="kb_feedback"),
    path("kb/<int:article_id>/solved/", kb.kb_solved, name="kb_solved"),
    # Customer portal
    path("portal/", portal.portal, name="portal"),
    path("portal/new/", portal.new_ticket, name="portal_new"),
    path("portal/new/suggestions/", kb.portal_suggestions, name="portal_suggestions"),
    path("portal/tickets/<int:ticket_id>/", portal.ticket, name="portal_ticket"),
    path("portal/tickets/<int:ticket_id>/reply/", portal.reply, name="portal_reply"),
    path("portal/tickets/<int:ticket_id>/reopen/", portal.reopen, name="portal_reopen"),
    path("portal/tickets/<int:ticket_id>/rate/", portal.rate, name="portal_rate"),
    path("portal/rate/<str:token>/", portal.rate_link, name="portal_rate_link"),
]

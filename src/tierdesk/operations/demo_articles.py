"""Help articles for the demo's knowledge base (L0): the common L1 requests, in Indonesian
and English, each pair linked as translations."""

from __future__ import annotations

# (category, Indonesian title, Indonesian body, English title, English body)
DEMO_ARTICLES = [
    (
        "akun",
        "Mengatur ulang kata sandi akun kantor",
        "1. Buka halaman **Lupa kata sandi** di portal akun.\n"
        "2. Masukkan alamat surel kantor Anda.\n"
        "3. Buka tautan yang dikirim ke surel dan buat kata sandi baru (minimal 12 karakter).\n\n"
        "Jika akun terkunci setelah beberapa kali salah memasukkan kata sandi, tunggu 15 menit "
        "lalu coba lagi.",
        "Resetting your office account password",
        "1. Open **Forgot password** on the account portal.\n"
        "2. Enter your work e-mail address.\n"
        "3. Follow the link sent to you and choose a new password (at least 12 characters).\n\n"
        "If the account is locked after several wrong passwords, wait 15 minutes and try again.",
    ),
    (
        "jaringan",
        "VPN tidak tersambung: langkah pertama",
        "Periksa koneksi internet Anda terlebih dahulu. Lalu tutup aplikasi VPN sepenuhnya, "
        "buka lagi, dan masuk ulang. Jika muncul pesan *authentication failed*, atur ulang kata "
        "sandi Anda. Jika masih gagal, catat pesan galatnya dan laporkan.",
        "VPN does not connect: first steps",
        "Check your internet connection first. Then quit the VPN client completely, start it "
        "again and sign in. If it says *authentication failed*, reset your password. If it "
        "still fails, note the error message and report it.",
    ),
    (
        "perangkat-keras",
        "Printer tidak bisa mencetak",
        "Matikan printer, tunggu 30 detik, lalu nyalakan lagi. Di komputer, buka antrean cetak "
        "dan hapus dokumen yang macet. Pastikan printer yang dipilih adalah printer lantai "
        "Anda.",
        "Printer does not print",
        "Switch the printer off, wait 30 seconds and switch it on again. On your computer, open "
        "the print queue and delete stuck documents. Make sure the printer on your floor is "
        "the one selected.",
    ),
    (
        "email",
        "Surel tertahan di kotak keluar",
        "Periksa ukuran lampiran (maksimal 25 MB). Hapus lalu kirim ulang pesan yang tertahan. "
        "Di Outlook, pilih **Kirim/Terima** > **Kirim Semua**.",
        "E-mail stuck in the outbox",
        "Check the attachment size (25 MB at most). Delete and resend the stuck message. In "
        "Outlook, choose **Send/Receive** > **Send All**.",
    ),
]


def load_articles(author) -> int:
    """Create and publish the demo articles as ``author``; returns how many were made."""
    from tierdesk.kb.actions import create_article, publish_article

    made = 0
    for category, title_id, body_id, title_en, body_en in DEMO_ARTICLES:
        indonesian = create_article(
            actor=author, title=title_id, body=body_id, language="id", category=category
        )
        english = create_article(
            actor=author,
            title=title_en,
            body=body_en,
            language="en",
            category=category,
            translation_of=indonesian.pk,
        )
        for article in (indonesian, english):
            publish_article(actor=author, article_id=article.pk)
            made += 1
    return made

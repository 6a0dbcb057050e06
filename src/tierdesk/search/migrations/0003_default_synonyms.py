"""IT words people use for the same thing, in Indonesian and English. Admins edit them
(Search > Synonym groups); they apply at query time."""

from django.db import migrations

DEFAULT_SYNONYMS = [
    "sandi, kata sandi, password, kata kunci, passcode",
    "surel, email, e-mail, surat elektronik, mail",
    "pencetak, printer, mesin cetak",
    "jaringan, network, koneksi, sambungan",
    "lemot, lambat, lelet, slow, pelan",
    "internet, online, daring",
    "wifi, wi-fi, wireless, nirkabel, hotspot",
    "masuk, login, log in, sign in, signin",
    "keluar, logout, log out, sign out",
    "akun, account, user, pengguna",
    "nama pengguna, username, user id",
    "atur ulang, reset, setel ulang",
    "pasang, install, instal, memasang, pemasangan",
    "hapus, delete, remove, uninstall, copot",
    "unduh, download",
    "unggah, upload",
    "aplikasi, software, perangkat lunak, program, app",
    "perangkat keras, hardware",
    "komputer, pc, desktop",
    "laptop, notebook, komputer jinjing",
    "layar, monitor, display, screen",
    "papan ketik, keyboard",
    "tetikus, mouse",
    "rusak, error, galat, gagal, failed, broken",
    "mati, down, padam, offline",
    "blokir, block, blocked, diblokir, terkunci, locked",
    "buka blokir, unblock, unlock",
    "cadangan, backup",
    "pemulihan, restore, recovery, pulihkan",
    "berkas, file, dokumen, document",
    "folder, direktori, map, directory",
    "pembaruan, update, upgrade, perbarui",
    "lisensi, license, aktivasi, activation",
    "kunci, key",
    "peramban, browser",
    "situs, website, web, laman",
    "ponsel, handphone, smartphone, telepon genggam, mobile",
    "vpn, virtual private network",
    "alamat ip, ip address, ip",
    "kuota, quota, kapasitas, storage, penyimpanan",
    "penuh, full",
    "langganan, subscription",
    "tagihan, invoice, bill, billing",
    "otp, kode verifikasi, verification code, 2fa, mfa",
    "virus, malware, ransomware",
    "pindai, scan, scanner, pemindai",
    "proyektor, projector",
    "rapat, meeting, zoom, teams",
    "kalender, calendar",
    "izin, akses, access, permission, hak akses",
    "server, peladen",
    "basis data, database, db",
    "domain, dns",
    "sertifikat, certificate, ssl, tls",
    "lupa, forgot, forget",
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms in DEFAULT_SYNONYMS:
        SynonymGroup.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(terms__in=DEFAULT_SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [migrations.RunPython(seed, unseed)]

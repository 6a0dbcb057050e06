"""Words for the benchmark data set: requests, replies, notes and handoffs in Indonesian and
English, the way customers and agents of a service desk write them. Each template is filled
with a few values, so a million tickets read like many different ones without costing more
than a list lookup each."""

from __future__ import annotations

import random

HOSTS = ["mail01", "fs01", "vpn-gw", "web02", "db01", "erp", "crm", "proxy", "ap-lt3", "sw-core"]
APPS = ["Outlook", "Zoom", "SAP", "Excel", "Chrome", "Teams", "Accurate", "AutoCAD", "VPN client"]
PLACES_ID = ["lantai 2", "lantai 3", "ruang rapat", "gudang", "kantor cabang Bandung", "lobi"]
PLACES_EN = ["2nd floor", "3rd floor", "meeting room", "warehouse", "Surabaya branch", "lobby"]

# category slug -> (Indonesian (subject, description), English (subject, description))
REQUESTS: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "akun": (
        [
            (
                "Akun email terkunci",
                "Sejak pagi saya tidak bisa login ke webmail di {host}, muncul pesan akun "
                "dikunci karena terlalu banyak percobaan gagal. Mohon dibantu.",
            ),
            (
                "Lupa password {app}",
                "Saya lupa password {app} setelah cuti. Mohon direset, saya butuh akses hari ini.",
            ),
            (
                "Akun baru untuk karyawan baru",
                "Mohon dibuatkan akun email dan login komputer untuk staf baru di {place}, mulai "
                "bekerja Senin depan.",
            ),
            (
                "Ganti username",
                "Nama saya berubah setelah menikah, mohon username dan alamat email disesuaikan.",
            ),
        ],
        [
            (
                "Email account locked",
                "Since this morning I cannot log in to webmail on {host}; it says the account is "
                "locked after too many failed attempts. Please help.",
            ),
            (
                "Forgot my {app} password",
                "I forgot my {app} password after my holiday. Please reset it, I need access "
                "today.",
            ),
            (
                "New account for a new employee",
                "Please create an e-mail account and a computer login for a new colleague on the "
                "{place}, starting next Monday.",
            ),
        ],
    ),
    "jaringan": (
        [
            (
                "VPN putus-putus",
                "Koneksi VPN ke {host} putus setiap beberapa menit sejak update Windows. Sudah "
                "coba restart laptop tapi masih sama.",
            ),
            (
                "Internet lambat di {place}",
                "Internet di {place} sangat lambat sejak kemarin sore, membuka email saja lama.",
            ),
            (
                "IP kantor terblokir",
                "Sepertinya IP kantor kami diblokir, tidak bisa akses {host} dari jaringan kantor "
                "tetapi dari HP bisa.",
            ),
        ],
        [
            (
                "VPN keeps dropping",
                "The VPN connection to {host} drops every few minutes since the Windows update. "
                "Restarting the laptop did not help.",
            ),
            (
                "Slow internet on the {place}",
                "The internet on the {place} has been very slow since yesterday afternoon.",
            ),
            (
                "Office IP address blocked",
                "Our office IP seems to be blocked: {host} does not answer from the office "
                "network but works from a phone.",
            ),
        ],
    ),
    "email": (
        [
            (
                "Email tidak bisa kirim",
                "Email keluar tertahan di outbox {app} sejak pagi, email masuk normal.",
            ),
            (
                "Email masuk ke spam",
                "Email dari klien kami masuk ke folder spam terus, mohon dicek filternya.",
            ),
        ],
        [
            (
                "Cannot send e-mail",
                "Outgoing mail is stuck in the {app} outbox since this morning; incoming is fine.",
            ),
            (
                "Mail from a customer lands in spam",
                "Messages from one of our customers keep landing in the spam folder.",
            ),
        ],
    ),
    "hosting": (
        [
            (
                "Website lambat sekali",
                "Website perusahaan di {host} lambat sekali dibuka sejak tadi malam, kadang "
                "muncul error 502.",
            ),
            (
                "Sertifikat SSL kedaluwarsa",
                "Browser menampilkan peringatan sertifikat tidak aman saat membuka {host}.",
            ),
        ],
        [
            (
                "Website very slow",
                "Our website on {host} is very slow since last night and sometimes shows a 502.",
            ),
            ("SSL certificate expired", "Browsers warn that the certificate of {host} expired."),
        ],
    ),
    "perangkat-lunak": (
        [
            (
                "Instal {app}",
                "Mohon dibantu instal {app} di laptop saya, dibutuhkan untuk proyek baru.",
            ),
            (
                "{app} error saat dibuka",
                "{app} langsung tertutup sendiri setiap kali dibuka sejak update kemarin.",
            ),
        ],
        [
            ("Install {app}", "Please install {app} on my laptop, I need it for a new project."),
            ("{app} crashes on start", "{app} closes right after starting since yesterday."),
        ],
    ),
    "perangkat-keras": (
        [
            (
                "Printer di {place} offline",
                "Printer di {place} tidak bisa dipakai, statusnya offline dari semua komputer.",
            ),
            ("Laptop tidak mau menyala", "Laptop saya mati total, lampu charger tidak menyala."),
        ],
        [
            (
                "Printer on the {place} offline",
                "The printer on the {place} shows offline on every computer.",
            ),
            ("Laptop does not power on", "My laptop is completely dead; the charger light is off."),
        ],
    ),
    "langganan": (
        [
            (
                "Data langganan tidak sesuai",
                "Jumlah lisensi {app} di tagihan bulan ini tidak sesuai dengan yang kami pakai.",
            ),
        ],
        [
            (
                "Subscription data is wrong",
                "The number of {app} licences on this month's invoice does not match our use.",
            ),
        ],
    ),
    "panel-kontrol": (
        [
            (
                "Tidak bisa login panel kontrol",
                "Login ke panel kontrol hosting gagal terus padahal password sudah benar.",
            ),
        ],
        [
            (
                "Cannot log in to the control panel",
                "Logging in to the hosting control panel fails although the password is right.",
            ),
        ],
    ),
}

REPLIES = (
    [
        "Terima kasih, laporan sudah kami terima dan sedang kami periksa.",
        "Mohon dicoba lagi sekarang, kami sudah melakukan reset dari sisi kami.",
        "Bisa dikirimkan screenshot pesan error yang muncul?",
        "Sudah kami perbaiki, mohon konfirmasi apakah sekarang sudah normal.",
    ],
    [
        "Thank you, we received your request and are looking into it.",
        "Please try again now; we reset it on our side.",
        "Could you send a screenshot of the error message?",
        "We fixed it; please confirm that everything works again.",
    ],
)
CUSTOMER_REPLIES = (
    ["Sudah saya coba, sekarang normal. Terima kasih.", "Masih sama, belum bisa.", "Terlampir."],
    ["Tried it, works now. Thanks.", "Still the same, sorry.", "Attached."],
)
NOTES = [
    "Identitas sudah diverifikasi lewat telepon.",
    "Log {host} menunjukkan banyak percobaan login gagal.",
    "Checked the monitoring for {host}: CPU and disk look normal.",
    "Customer is a VIP, keep them posted.",
    "Sama dengan kasus minggu lalu di {host}.",
]
REASONS = [
    "Butuh akses ke server {host} yang hanya dimiliki L2.",
    "Needs changes on {host} that L1 cannot make.",
    "Masalah berulang, butuh analisis lebih dalam.",
    "Suspected product defect; needs the vendor.",
]
TRIED = [
    "Restart perangkat pengguna",
    "Reset password",
    "Checked the account in AD",
    "Cleared the browser cache",
    "Tes koneksi ke {host}",
    "Reinstalled the client",
]
FINDINGS = [
    "Error hanya terjadi dari jaringan kantor.",
    "The problem started after the update on {host}.",
    "Log menunjukkan timeout ke {host}.",
    "Other users of the same organization are affected too.",
]
INSTRUCTIONS = [
    "Sudah diperbaiki di server; mohon minta pengguna mencoba lagi dan tutup jika normal.",
    "Fixed on {host}; ask the customer to reconnect and resolve if it works.",
]
TRANSFER_NOTES = ["Ini masalah hosting, bukan jaringan.", "Network issue, not the web server."]
RESOLUTIONS = (
    [
        "Akun dibuka kembali dan password direset.",
        "Konfigurasi di {host} diperbaiki, layanan normal kembali.",
        "Aplikasi diinstal ulang, sudah bisa dipakai.",
        "Sertifikat diperbarui.",
    ],
    [
        "Account unlocked and password reset.",
        "Configuration on {host} fixed; the service is back to normal.",
        "Reinstalled the application; it works again.",
        "Certificate renewed.",
    ],
)
ON_HOLD_NOTES = ["Menunggu balasan vendor.", "Waiting for the vendor's patch."]


def fill(template: str, rng: random.Random, *, english: bool) -> str:
    if "{" not in template:
        return template
    places = PLACES_EN if english else PLACES_ID
    return template.format(host=rng.choice(HOSTS), app=rng.choice(APPS), place=rng.choice(places))


def variants(templates: list[str], rng: random.Random, count: int, *, english: bool) -> list[str]:
    """``count`` filled variants of the templates, made once so drawing one later is cheap."""
    return [fill(rng.choice(templates), rng, english=english) for _ in range(count)]

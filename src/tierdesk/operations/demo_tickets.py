"""Demo tickets for ``tierdesk demo``: each one is opened and then told step by step
through the real ticket actions, in Indonesian or English like the customer who wrote it.
Once its history is moved into the past, :func:`replay_sla_clocks` sets its SLA clocks as if
it had lived through that history, so some open tickets are fine, some warned, some late."""

from __future__ import annotations

from tierdesk.accounts.models import Tier
from tierdesk.tickets.actions import clocks
from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Event, EventKind, Ticket

DEMO_TICKETS: list[dict] = [
    {
        "requester": "budi",
        "subject": "Akun email terkunci setelah salah password beberapa kali",
        "description": (
            "Selamat pagi, sejak jam 08.15 saya tidak bisa login ke webmail mail.contoh.test. "
            "Muncul pesan 'Akun Anda dikunci sementara karena terlalu banyak percobaan login "
            "gagal'. Sepertinya HP saya masih pakai password lama yang sudah saya ganti minggu "
            "lalu. Mohon dibantu dibuka, jam 10 saya ada meeting dengan klien."
        ),
        "category": "akun",
        "impact": "medium",
        "urgency": "high",
        "channel": "phone",
        "days_ago": 12,
        "story": [
            ("assign", "agent1"),
            (
                "note",
                "agent1",
                (
                    "Identitas sudah diverifikasi lewat telepon (NIK karyawan dan nomor HP cocok). "
                    "Log menunjukkan 27 percobaan login gagal lewat IMAP dari perangkat Android "
                    "sejak jam 07.50."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Selamat pagi Pak Budi, akun email Bapak sudah kami buka kembali. Penyebabnya "
                    "aplikasi email di HP yang masih terus mencoba login dengan password lama. "
                    "Mohon hapus lalu tambahkan ulang akun email di HP dengan password yang baru "
                    "supaya tidak terkunci lagi."
                ),
            ),
            (
                "customer_reply",
                (
                    "Sudah saya perbarui di HP, sekarang webmail dan email di HP sudah normal. "
                    "Terima kasih banyak."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Kunci akun dibuka. Penyebab: aplikasi email di HP memakai password lama, "
                    "sudah diperbarui oleh pengguna. Login webmail dan IMAP normal."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "sari",
        "subject": "Pembuatan akun untuk karyawan baru bagian Keuangan",
        "description": (
            "Mohon dibuatkan akun email dan akun login komputer untuk karyawan baru atas nama Rina "
            "Kartika, staf Keuangan. Yang bersangkutan mulai bekerja hari Senin depan. Kalau bisa "
            "aksesnya disamakan dengan staf Keuangan lainnya, termasuk folder bersama Keuangan di "
            "fs01.contoh.test."
        ),
        "category": "akun",
        "impact": "low",
        "urgency": "medium",
        "channel": "web",
        "days_ago": 20,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Halo Bu Sari, terima kasih permintaannya. Sesuai prosedur, pembuatan akun "
                    "baru perlu persetujuan dari atasan langsung atau HRD. Mohon dibalas dengan "
                    "persetujuan tersebut, boleh berupa email yang diteruskan dari Manajer "
                    "Keuangan."
                ),
            ),
            ("status", "agent1", "pending"),
            (
                "customer_reply",
                (
                    "Berikut saya teruskan email persetujuan dari Pak Hendra (Manajer Keuangan). "
                    "Jabatan Rina: Staf Akuntansi, atasan langsungnya Pak Hendra."
                ),
            ),
            (
                "note",
                "agent1",
                (
                    "Persetujuan Manajer Keuangan sudah diterima dan dicek. Akun dibuat dengan "
                    "grup yang sama seperti staf Keuangan lain (GRP-Keuangan, baca-tulis folder "
                    "bersama Keuangan)."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Akun untuk Ibu Rina sudah kami buat: email rina.kartika@contoh.test dengan "
                    "username rina.kartika. Password awal akan kami serahkan langsung ke yang "
                    "bersangkutan di hari pertama dan wajib diganti saat login pertama."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Akun email dan login domain untuk Rina Kartika dibuat, anggota grup "
                    "GRP-Keuangan, akses folder bersama Keuangan aktif."
                ),
            ),
            ("close", "lead"),
        ],
    },
    {
        "requester": "customer",
        "subject": "IP kantor cabang Surabaya tidak bisa akses server FTP",
        "description": (
            "Mulai kemarin sore kantor cabang Surabaya tidak bisa konek ke ftp.contoh.test, muncul "
            "'Connection timed out'. Dari kantor pusat masih normal. IP publik kantor cabang "
            "198.51.100.23. Kemungkinan kemarin ada staf yang beberapa kali salah password waktu "
            "upload laporan."
        ),
        "category": "jaringan",
        "impact": "medium",
        "urgency": "medium",
        "channel": "email",
        "days_ago": 18,
        "story": [
            ("assign", "agent1"),
            (
                "note",
                "agent1",
                (
                    "Cek firewall: 198.51.100.23 masuk daftar blokir otomatis kemarin jam 16.42 "
                    "karena 10 kali gagal login FTP dalam 5 menit (user cabang_sby)."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Selamat siang Bu Citra, IP 198.51.100.23 memang terblokir otomatis oleh "
                    "firewall karena ada 10 kali gagal login FTP dengan user cabang_sby kemarin "
                    "sore. Blokirnya sudah kami buka. Mohon pastikan aplikasi FTP di kantor cabang "
                    "memakai password yang benar, karena kalau gagal lagi IP akan terblokir ulang."
                ),
            ),
            (
                "customer_reply",
                (
                    "Sudah bisa konek lagi. Ternyata di FileZilla masih tersimpan password lama, "
                    "sudah kami ganti. Terima kasih."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "IP 198.51.100.23 dihapus dari daftar blokir firewall. Penyebab: password lama "
                    "tersimpan di klien FTP kantor cabang, sudah diperbaiki pengguna."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "budi",
        "subject": "Tagihan hosting bulan ini terpotong dua kali dari kartu kredit",
        "description": (
            "Selamat siang, kartu kredit perusahaan terpotong dua kali untuk tagihan hosting bulan "
            "ini, masing-masing Rp1.250.000 pada tanggal 3. Di portal pelanggan invoice-nya hanya "
            "satu, yaitu INV-0312. Mohon dicek dan kelebihan pembayarannya dikembalikan."
        ),
        "category": "langganan",
        "impact": "low",
        "urgency": "medium",
        "channel": "email",
        "days_ago": 25,
        "story": [
            ("assign", "agent1"),
            (
                "note",
                "agent1",
                (
                    "Di sistem billing ada dua transaksi kartu untuk INV-0312 dengan selisih 40 "
                    "detik, kemungkinan tombol bayar diklik dua kali. Sudah minta tim Finance "
                    "memproses refund transaksi kedua."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Selamat siang Pak Budi, betul ada dua transaksi untuk invoice INV-0312. "
                    "Transaksi kedua sudah kami ajukan refund dan dananya biasanya kembali ke "
                    "kartu dalam 7 sampai 14 hari kerja, tergantung bank penerbit. Bukti pengajuan "
                    "refund sudah kami kirim ke email Bapak."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Refund untuk pembayaran ganda INV-0312 (Rp1.250.000) diajukan ke Finance "
                    "dengan nomor RF-0457. Bukti pengajuan dikirim ke pelanggan."
                ),
            ),
        ],
    },
    {
        "requester": "sari",
        "subject": "Minta instal Microsoft Office di laptop pengganti",
        "description": (
            "Halo, saya baru dapat laptop pengganti dari bagian umum tapi belum ada Microsoft "
            "Office-nya. Saya butuh Excel dan Word untuk kerja hari ini. Nomor aset laptopnya "
            "LPT-0231."
        ),
        "category": "perangkat-lunak",
        "impact": "low",
        "urgency": "medium",
        "channel": "chat",
        "days_ago": 9,
        "story": [
            ("assign", "solo"),
            (
                "reply",
                "solo",
                (
                    "Halo Bu Sari, laptop LPT-0231 sudah terdaftar di sistem kami, jadi Office "
                    "bisa dipasang sendiri. Silakan buka aplikasi Software Center, pilih Microsoft "
                    "365 Apps, lalu klik Instal. Prosesnya sekitar 15 menit."
                ),
            ),
            (
                "customer_reply",
                "Sudah terpasang, tapi waktu buka Excel muncul permintaan aktivasi.",
            ),
            (
                "reply",
                "solo",
                (
                    "Silakan login dengan email kantor dan password yang biasa Ibu pakai. Lisensi "
                    "Ibu sudah saya pindahkan dari laptop lama ke laptop yang baru."
                ),
            ),
            ("customer_reply", "Sudah aktif, terima kasih ya."),
            (
                "resolve",
                "solo",
                (
                    "Microsoft 365 Apps diinstal lewat Software Center di LPT-0231, lisensi "
                    "dipindahkan dari perangkat lama, aktivasi berhasil."
                ),
            ),
            ("close", "solo"),
        ],
    },
    {
        "requester": "customer",
        "subject": "Instalasi aplikasi VPN untuk kerja dari rumah",
        "description": (
            "Mulai minggu depan saya dapat jadwal WFH dua hari seminggu. Saya perlu akses ke "
            "aplikasi ERP di erp.contoh.test dari rumah. Mohon dibantu instalasi VPN di laptop "
            "kantor saya (Windows 11, nomor aset LPT-0187)."
        ),
        "category": "perangkat-lunak",
        "impact": "low",
        "urgency": "low",
        "channel": "web",
        "days_ago": 15,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Selamat pagi Bu Citra, aplikasi VPN sudah kami kirim ke laptop LPT-0187 lewat "
                    "Software Center dengan nama 'VPN Kantor'. Setelah terpasang, isi alamat "
                    "server vpn.contoh.test lalu login dengan akun domain Ibu. Mohon dicoba dari "
                    "jaringan rumah dan kabari kami hasilnya."
                ),
            ),
            ("status", "agent1", "pending"),
            (
                "customer_reply",
                (
                    "Sudah saya coba dari rumah semalam. VPN tersambung dan erp.contoh.test bisa "
                    "dibuka, cuma agak lambat sekitar jam 8 malam."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Terima kasih konfirmasinya, Bu. Agak lambat di jam sibuk masih wajar karena "
                    "tergantung koneksi internet rumah. Kalau nanti sampai putus-putus, silakan "
                    "buat tiket baru ya."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Klien VPN diinstal di LPT-0187 dan diarahkan ke vpn.contoh.test. Pengguna "
                    "sudah konfirmasi akses ERP dari rumah berhasil."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "budi",
        "subject": "Username salah ketik, mohon diganti jadi budi.santoso",
        "description": (
            "Username saya tertulis budi.santosa, padahal nama saya Budi Santoso. Ini terbawa ke "
            "alamat email juga, jadi klien sering salah kirim. Mohon diganti jadi budi.santoso, "
            "tapi email ke alamat lama sebaiknya tetap masuk untuk sementara."
        ),
        "category": "akun",
        "impact": "low",
        "urgency": "low",
        "channel": "email",
        "days_ago": 33,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Baik Pak Budi, penggantian username kami jadwalkan nanti sore jam 17.00 "
                    "supaya tidak mengganggu pekerjaan. Setelah itu Bapak perlu login ulang di "
                    "komputer dan di HP dengan username baru. Alamat lama budi.santosa@contoh.test "
                    "akan kami pasang sebagai alias selama 3 bulan."
                ),
            ),
            (
                "note",
                "agent1",
                (
                    "Username diganti jam 17.05. Alias budi.santosa@contoh.test ditambahkan dengan "
                    "masa berlaku 3 bulan. Tes kirim ke alamat lama dan baru berhasil."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Username diganti menjadi budi.santoso, alamat lama dipasang sebagai alias "
                    "selama 3 bulan. Pengiriman ke kedua alamat sudah dites."
                ),
            ),
        ],
    },
    {
        "requester": "sari",
        "subject": "Minta salinan invoice dan faktur pajak Januari sampai Maret",
        "description": (
            "Selamat pagi, untuk keperluan audit internal kami butuh salinan invoice langganan "
            "hosting beserta faktur pajaknya untuk bulan Januari, Februari, dan Maret. Di portal "
            "pelanggan hanya muncul invoice dua bulan terakhir. Mohon dikirim dalam format PDF ke "
            "email saya."
        ),
        "category": "langganan",
        "impact": "low",
        "urgency": "low",
        "channel": "email",
        "days_ago": 41,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Selamat pagi Bu Sari, salinan invoice INV-0108, INV-0209, dan INV-0311 "
                    "beserta faktur pajaknya sudah kami kirim dalam satu email berisi 6 file PDF. "
                    "Sebagai info, portal pelanggan memang hanya menampilkan 60 hari terakhir. "
                    "Untuk periode yang lebih lama silakan minta ke kami seperti ini."
                ),
            ),
            ("customer_reply", "Sudah saya terima lengkap, terima kasih."),
            (
                "resolve",
                "agent1",
                (
                    "Salinan 3 invoice dan 3 faktur pajak (Januari-Maret) dikirim ke pelanggan "
                    "dalam format PDF."
                ),
            ),
            ("close", "lead"),
        ],
    },
    {
        "requester": "customer",
        "subject": "Lupa password login panel hosting, link reset tidak masuk",
        "description": (
            "Saya tidak bisa masuk ke panel.contoh.test, muncul pesan 'Username atau password "
            "salah'. Link lupa password juga tidak pernah masuk ke email saya, folder spam sudah "
            "dicek. Yang biasa mengelola panel sudah resign bulan lalu."
        ),
        "category": "panel-kontrol",
        "impact": "medium",
        "urgency": "medium",
        "channel": "phone",
        "days_ago": 28,
        "story": [
            ("assign", "agent1"),
            (
                "note",
                "agent1",
                (
                    "Email pemulihan akun panel masih ke alamat karyawan lama (hendro@contoh.test, "
                    "sudah nonaktif). Pemilik akun diverifikasi lewat telepon balik ke PIC yang "
                    "terdaftar di kontrak."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Bu Citra, email pemulihan di akun panel ternyata masih alamat karyawan yang "
                    "sudah resign, jadi link reset tidak pernah sampai ke Ibu. Email pemulihan "
                    "sudah kami ganti ke alamat Ibu dan link reset yang baru sudah dikirim, "
                    "berlaku 1 jam."
                ),
            ),
            ("customer_reply", "Sudah bisa login dan password sudah saya ganti. Terima kasih."),
            (
                "resolve",
                "agent1",
                (
                    "Email pemulihan akun panel diganti ke PIC baru. Password direset sendiri oleh "
                    "pengguna lewat link reset."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "budi",
        "subject": "Tidak bisa buka webmail dari rumah, koneksi ditolak",
        "description": (
            "Dari rumah saya tidak bisa buka mail.contoh.test, browser menampilkan "
            "'ERR_CONNECTION_REFUSED'. Kalau pakai data seluler di HP bisa. IP rumah saya menurut "
            "whatismyip 192.0.2.45. Tadi malam saya sempat beberapa kali salah memasukkan password."
        ),
        "category": "jaringan",
        "impact": "low",
        "urgency": "medium",
        "channel": "chat",
        "days_ago": 5,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Halo Pak Budi, betul IP 192.0.2.45 terblokir sejak tadi malam jam 21.30 "
                    "karena beberapa kali gagal login ke webmail. Blokirnya sudah saya buka, "
                    "silakan dicoba lagi."
                ),
            ),
            ("customer_reply", "Sudah bisa, terima kasih."),
            (
                "resolve",
                "agent1",
                (
                    "IP 192.0.2.45 dihapus dari daftar blokir login webmail. Akses dari rumah "
                    "sudah normal."
                ),
            ),
        ],
    },
    {
        "requester": "sari",
        "subject": "Upgrade paket hosting karena kuota disk hampir penuh",
        "description": (
            "Di panel muncul peringatan penggunaan disk sudah 94% dari 10 GB. Kami mau upgrade "
            "dari paket Basic ke paket Bisnis. Mohon info biayanya dan apakah website akan down "
            "selama proses upgrade."
        ),
        "category": "langganan",
        "impact": "medium",
        "urgency": "low",
        "channel": "web",
        "days_ago": 46,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Selamat siang Bu Sari, paket Bisnis punya kuota 50 GB dengan biaya Rp450.000 "
                    "per bulan, dan untuk sisa periode berjalan hanya ditagihkan selisihnya secara "
                    "prorata. Proses upgrade tidak membuat website down. Mohon konfirmasi kalau "
                    "setuju, nanti invoice prorata kami terbitkan."
                ),
            ),
            ("status", "agent1", "pending"),
            (
                "customer_reply",
                (
                    "Setuju, silakan diproses. Invoice tolong atas nama PT Contoh Sejahtera "
                    "seperti biasa."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Paket sudah kami upgrade ke Bisnis dan kuota disk sekarang 50 GB. Invoice "
                    "prorata INV-0415 sudah terkirim ke email penagihan."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Paket hosting di-upgrade dari Basic ke Bisnis (kuota 50 GB). Invoice prorata "
                    "INV-0415 diterbitkan."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "john",
        "subject": "Password expired, can't log into webmail",
        "description": (
            "Since this morning mail.sample.test says 'Your password has expired and must be "
            "changed', but the change-password page then says 'Current password incorrect'. I'm "
            "sure I'm typing the right one because it worked on Friday. I need to send quotes to "
            "customers today."
        ),
        "category": "akun",
        "impact": "medium",
        "urgency": "high",
        "channel": "phone",
        "days_ago": 7,
        "story": [
            ("assign", "agent1"),
            (
                "note",
                "agent1",
                (
                    "Caller verified by calling back the number on file. Directory shows the "
                    "password expired at 00:00 today; the webmail change form rejects the current "
                    "password once it has expired (known limitation)."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Hi John, the webmail change-password form can't handle a password that has "
                    "already expired, which is why it rejected your current one. I've sent a "
                    "one-time temporary password to your mobile by SMS. Sign in with it and you'll "
                    "be asked to choose a new password straight away."
                ),
            ),
            (
                "customer_reply",
                "Done, new password set and I'm back in. Thanks for the quick help.",
            ),
            (
                "resolve",
                "agent1",
                (
                    "Expired password replaced with a one-time temporary password; user set a new "
                    "password and webmail access is confirmed."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "customer2",
        "subject": "Accounts needed for two summer interns starting Monday",
        "description": (
            "We have two interns joining the sales team on Monday for eight weeks. They need "
            "e-mail and access to the sales shared drive, but nothing in the finance folders. Can "
            "you set this up?"
        ),
        "category": "akun",
        "impact": "low",
        "urgency": "medium",
        "channel": "email",
        "days_ago": 22,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Hi Claire, happy to set this up. Could you send us the interns' full names, "
                    "their manager and their last working day, so the accounts expire "
                    "automatically? New accounts also need approval from the line manager, a reply "
                    "from them in this thread is enough."
                ),
            ),
            ("status", "agent1", "pending"),
            (
                "customer_reply",
                (
                    "They are Priya Nair and Tom Becker, both reporting to Laura Chen (Sales "
                    "Manager), who is copied and approves. Their last day is the last Friday of "
                    "August."
                ),
            ),
            (
                "note",
                "agent1",
                (
                    "Approval from Laura Chen received in the thread. Accounts created in "
                    "GRP-Sales-Temp (sales shared drive read/write, no finance access), expiry set "
                    "to the last Friday of August at 18:00."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Both accounts are ready: priya.nair@sample.test and tom.becker@sample.test. "
                    "They will expire automatically at 18:00 on the last Friday of August. "
                    "Temporary passwords have gone to Laura so she can hand them over on Monday."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Two intern accounts created with an expiry date, sales shared drive only, "
                    "temporary passwords sent to the approving manager."
                ),
            ),
        ],
    },
    {
        "requester": "john",
        "subject": "What is the 'SSL renewal' line on this month's invoice?",
        "description": (
            "Our invoice INV-2291 has a line 'SSL renewal - shop.sample.test' for GBP 49 that I "
            "don't remember ordering. We thought certificates were included in the hosting plan. "
            "Please explain before I approve payment."
        ),
        "category": "langganan",
        "impact": "low",
        "urgency": "low",
        "channel": "email",
        "days_ago": 30,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Hi John, your plan includes free automatic certificates, but shop.sample.test "
                    "uses an extended validation (EV) certificate that was ordered separately last "
                    "year so the checkout shows your company name. That certificate renews yearly "
                    "at GBP 49. If you no longer need EV, we can switch the shop to the free "
                    "certificate and credit this line."
                ),
            ),
            (
                "customer_reply",
                (
                    "Thanks, that makes sense. We'll keep the EV certificate, I'll approve the "
                    "invoice."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Explained the EV certificate renewal on INV-2291; customer keeps EV and "
                    "approves the invoice."
                ),
            ),
        ],
    },
    {
        "requester": "customer2",
        "subject": "Whole office blocked from the control panel",
        "description": (
            "Nobody in our office can reach panel.sample.test since about 14:00, the page just "
            "times out. It works from a phone on 4G. Our office public IP is 198.51.100.77."
        ),
        "category": "jaringan",
        "impact": "medium",
        "urgency": "high",
        "channel": "chat",
        "days_ago": 3,
        "story": [
            ("assign", "agent1"),
            (
                "note",
                "agent1",
                (
                    "198.51.100.77 auto-blocked at 13:52 after 15 failed panel logins for user "
                    "'admin-sample' within 3 minutes. Looks like a saved password in a browser or "
                    "a script."
                ),
            ),
            (
                "reply",
                "agent1",
                (
                    "Hi Claire, your office IP was blocked automatically at 13:52 after 15 failed "
                    "logins for the user 'admin-sample' in a few minutes. I've removed the block. "
                    "Please check whether someone has an old password saved in their browser or in "
                    "a script, otherwise the block will come back."
                ),
            ),
            (
                "customer_reply",
                (
                    "Found it, our accountant's browser was auto-filling an old password. Fixed, "
                    "and the panel loads again."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Removed the auto-block on 198.51.100.77. Cause: an outdated password saved in "
                    "a user's browser, corrected by the customer."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "john",
        "subject": "Need the VPN client on my new MacBook",
        "description": (
            "I've switched to a MacBook Air and need the VPN set up so I can reach the stock "
            "system at erp.sample.test when travelling. The old Windows laptop has been handed "
            "back. My next trip is on Thursday."
        ),
        "category": "perangkat-lunak",
        "impact": "low",
        "urgency": "medium",
        "channel": "web",
        "days_ago": 14,
        "story": [
            ("assign", "solo"),
            (
                "reply",
                "solo",
                (
                    "Hi John, I've made the VPN client available to your MacBook: open Self "
                    "Service, find 'Sample VPN' and click Install. The server vpn.sample.test is "
                    "already configured, so you only need to sign in with your normal account and "
                    "approve the push notification."
                ),
            ),
            (
                "customer_reply",
                (
                    "Installed. It connects, but macOS asked me to allow a system extension. Is "
                    "that OK?"
                ),
            ),
            (
                "reply",
                "solo",
                (
                    "Yes, that's expected. Please allow it under System Settings > Privacy & "
                    "Security; the VPN needs it to route traffic to the office network."
                ),
            ),
            ("customer_reply", "Allowed it, and the stock system opens fine over the VPN now."),
            (
                "resolve",
                "solo",
                (
                    "VPN client installed on the user's MacBook via Self Service, system extension "
                    "approved, access to erp.sample.test confirmed."
                ),
            ),
            ("close", "solo"),
        ],
    },
    {
        "requester": "customer2",
        "subject": "Outlook keeps asking for my password after I changed it",
        "description": (
            "I changed my password yesterday after the expiry reminder. Since then Outlook on my "
            "desktop pops up a login window every few minutes and new mail doesn't arrive. Webmail "
            "works fine with the new password."
        ),
        "category": "email",
        "impact": "low",
        "urgency": "medium",
        "channel": "phone",
        "days_ago": 10,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Hi Claire, this usually means Windows still has the old password stored. "
                    "Please open Credential Manager, remove the entries that mention "
                    "mail.sample.test, then restart Outlook and enter the new password once when "
                    "it asks."
                ),
            ),
            ("status", "agent1", "pending"),
            (
                "customer_reply",
                (
                    "Removed two old entries, restarted Outlook and typed the new password. No "
                    "more pop-ups and mail is coming in."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Removed stale cached credentials from Windows Credential Manager; Outlook "
                    "syncs normally with the new password."
                ),
            ),
        ],
    },
    {
        "requester": "john",
        "subject": "Please update the card used for our hosting subscription",
        "description": (
            "Our company card ending 4417 was replaced after a fraud alert and the old one is "
            "cancelled. I'd like the new card to be charged from the next renewal. I couldn't find "
            "where to change it in the customer portal."
        ),
        "category": "langganan",
        "impact": "low",
        "urgency": "medium",
        "channel": "email",
        "days_ago": 52,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Hi John, for security reasons we never take card numbers by e-mail. You can "
                    "change it yourself in the customer portal under Billing > Payment methods > "
                    "Add card, then set the new card as default. The old card can be removed on "
                    "the same page."
                ),
            ),
            ("customer_reply", "Found it. New card added and set as default, old one removed."),
            (
                "note",
                "agent1",
                (
                    "Checked the billing account: new default card active, card ending 4417 "
                    "removed. The next renewal will be charged to the new card."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Customer added a new default card in the portal and removed the cancelled "
                    "one; verified on the billing account."
                ),
            ),
            ("close", "lead"),
        ],
    },
    {
        "requester": "budi",
        "subject": "Printer lantai 3 tidak bisa dipakai, statusnya offline",
        "description": (
            "Printer di dekat ruang rapat lantai 3 (PRN-L3-01) statusnya 'Offline' di semua "
            "komputer sejak tadi pagi. Lampu di printernya menyala normal dan tidak ada kertas "
            "yang macet. Sudah saya coba matikan dan nyalakan ulang tapi tetap sama. Banyak rekan "
            "yang perlu mencetak dokumen untuk rapat jam 2 siang."
        ),
        "category": "perangkat-keras",
        "impact": "medium",
        "urgency": "high",
        "channel": "phone",
        "days_ago": 0,
        "story": [],
    },
    {
        "requester": "sari",
        "subject": "Email dengan lampiran besar tidak terkirim ke vendor",
        "description": (
            "Saya mau kirim file desain brosur ke vendor percetakan, tapi emailnya selalu kembali "
            "dengan pesan '552 5.3.4 Message size exceeds fixed limit'. Ukuran lampirannya sekitar "
            "38 MB. Apakah batasnya bisa dinaikkan sementara?"
        ),
        "category": "email",
        "impact": "low",
        "urgency": "medium",
        "channel": "web",
        "days_ago": 1,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Halo Bu Sari, batas ukuran email kita memang 25 MB dan tidak bisa dinaikkan "
                    "per pengguna. Untuk file sebesar itu lebih baik pakai link berbagi dari "
                    "files.contoh.test. Boleh dikabari alamat email vendornya? Nanti kami bantu "
                    "buatkan link yang bisa dibuka dari luar kantor dan berlaku 7 hari."
                ),
            ),
            ("status", "agent1", "pending"),
        ],
    },
    {
        "requester": "customer",
        "subject": "Nonaktifkan akun karyawan yang resign per hari ini",
        "description": (
            "Karyawan kami atas nama Agus Setiawan (bagian Gudang) resign dan hari ini hari "
            "terakhirnya. Mohon akun email dan akses VPN-nya dinonaktifkan mulai jam 17.00. Email "
            "yang masuk ke alamatnya tolong diteruskan ke atasannya, Pak Yusuf."
        ),
        "category": "akun",
        "impact": "medium",
        "urgency": "medium",
        "channel": "email",
        "days_ago": 0,
        "story": [],
    },
    {
        "requester": "sari",
        "subject": "Baterai laptop menggembung, touchpad jadi terangkat",
        "description": (
            "Sejak kemarin touchpad laptop saya (LPT-0098) terangkat dan susah diklik. Kalau "
            "dilihat dari samping, bagian bawah laptop agak menggembung. Laptop masih bisa dipakai "
            "kalau dicolok ke charger."
        ),
        "category": "perangkat-keras",
        "impact": "medium",
        "urgency": "high",
        "channel": "chat",
        "days_ago": 2,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Bu Sari, kemungkinan besar baterainya menggembung dan ini berbahaya, jadi "
                    "mohon laptop segera dimatikan dan jangan dicas dulu. Simpan dulu pekerjaan "
                    "yang belum tersimpan. Kami siapkan laptop pinjaman yang bisa diambil di ruang "
                    "IT lantai 2 setelah jam 13.00."
                ),
            ),
            (
                "note",
                "agent1",
                (
                    "LPT-0098 masih dalam garansi sampai bulan depan, klaim penggantian baterai ke "
                    "vendor perlu diajukan. Laptop pinjaman LPT-0300 sedang disiapkan dan data "
                    "pengguna akan dipindahkan dari OneDrive."
                ),
            ),
        ],
    },
    {
        "requester": "customer2",
        "subject": "Request: PDF editor for the purchasing team",
        "description": (
            "The purchasing team (3 people) needs to edit and sign supplier PDFs. At the moment "
            "they only have a reader that can't fill in forms. Could you install a PDF editor on "
            "their PCs, asset numbers PC-114, PC-115 and PC-121?"
        ),
        "category": "perangkat-lunak",
        "impact": "low",
        "urgency": "low",
        "channel": "web",
        "days_ago": 0,
        "story": [],
    },
    {
        "requester": "john",
        "subject": "Lots of spam getting through since yesterday",
        "description": (
            "Since yesterday afternoon I've had around 40 spam messages in my inbox, mostly fake "
            "invoice notices with zip attachments. Normally the filter catches these. Is something "
            "wrong with the spam filter on mail.sample.test?"
        ),
        "category": "email",
        "impact": "low",
        "urgency": "medium",
        "channel": "email",
        "days_ago": 1,
        "story": [
            ("assign", "solo"),
            (
                "note",
                "solo",
                (
                    "Filter statistics for sample.test look normal and no other mailbox reports a "
                    "spike. Possibly a personal allow-list rule on this mailbox."
                ),
            ),
            (
                "reply",
                "solo",
                (
                    "Hi John, the spam filter is working normally for the rest of your domain, so "
                    "I suspect a personal rule. Could you check in webmail under Settings > Spam "
                    "whether a sender or domain was added to 'Always allow' recently, and send me "
                    "a screenshot of that list?"
                ),
            ),
            ("status", "solo", "pending"),
        ],
    },
    {
        "requester": "budi",
        "subject": "Internet kantor putus-putus sejak pagi, lantai 2 paling parah",
        "description": (
            "Sejak jam 8 pagi koneksi internet di kantor putus-nyambung tiap beberapa menit, "
            "terutama di lantai 2. Video call dengan klien jadi sering terputus. Lantai 1 juga "
            "terasa lambat tapi tidak separah lantai 2."
        ),
        "category": "jaringan",
        "impact": "high",
        "urgency": "high",
        "channel": "phone",
        "days_ago": 16,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Selamat pagi Pak Budi, kami sedang cek. Boleh info apakah yang putus hanya "
                    "yang pakai Wi-Fi, atau yang pakai kabel LAN juga?"
                ),
            ),
            (
                "customer_reply",
                "Yang pakai kabel juga putus, Pak. Komputer di meja saya pakai kabel.",
            ),
            (
                "escalate",
                "agent1",
                2,
                "l2-network",
                (
                    "Gangguan koneksi kabel dan Wi-Fi untuk banyak pengguna di lantai 2; perlu "
                    "pemeriksaan switch dan router yang di luar akses L1."
                ),
                [
                    "Ping dari PC lantai 2 ke gateway 192.0.2.1: packet loss 30-40%.",
                    "Ping dari PC lantai 1 ke gateway yang sama: packet loss sekitar 5%.",
                    "Access point lantai 2 di-restart oleh staf GA jam 08.40: tidak ada perubahan.",
                    "Cek halaman status ISP: tidak ada gangguan yang diumumkan.",
                ],
                (
                    "Gangguan terjadi di kabel maupun Wi-Fi, jadi kemungkinan bukan masalah access "
                    "point. Packet loss sudah terjadi sebelum trafik keluar ke internet (ke "
                    "gateway 192.0.2.1) dan paling parah di lantai 2."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "SW-L2-01: port 24 (uplink ke core) penuh CRC error dan link flapping sejak "
                    "07.55. Ditemukan loop: switch kecil di ruang rapat lantai 2 tersambung ke dua "
                    "colokan LAN sekaligus, spanning tree di switch itu tidak aktif."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Pak Budi, penyebabnya sudah ketemu: ada switch kecil di ruang rapat lantai 2 "
                    "yang tersambung ke dua colokan LAN sekaligus sehingga terjadi loop jaringan. "
                    "Switch tersebut sudah kami cabut dan port-nya kami amankan. Mohon dicek "
                    "apakah koneksi sekarang sudah stabil."
                ),
            ),
            (
                "customer_reply",
                "Sudah stabil sejak jam 11 tadi, video call juga lancar. Terima kasih.",
            ),
            (
                "resolve",
                "agent2",
                (
                    "Loop jaringan akibat switch tidak terkelola di ruang rapat lantai 2 yang "
                    "tersambung ke dua port. Switch dicabut, BPDU guard diaktifkan di semua port "
                    "akses SW-L2-01. Packet loss ke gateway 0%."
                ),
            ),
            ("close", "agent2"),
        ],
    },
    {
        "requester": "sari",
        "subject": "Website www.contoh.test sangat lambat, kadang sampai 15 detik",
        "description": (
            "Sudah dua hari ini website perusahaan www.contoh.test lambat sekali dibuka, halaman "
            "produk bisa sampai 15 detik. Beberapa pelanggan sudah komplain lewat WhatsApp. Minggu "
            "ini kami tidak mengubah apa pun di website."
        ),
        "category": "hosting",
        "impact": "high",
        "urgency": "medium",
        "channel": "web",
        "days_ago": 21,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Performa website pelanggan sangat menurun; perlu analisis di sisi server "
                    "hosting yang tidak bisa dilakukan L1."
                ),
                [
                    (
                        "Buka www.contoh.test dari jaringan kantor dan dari 4G: halaman produk "
                        "12-15 detik, halaman depan 4 detik."
                    ),
                    "Cek halaman status layanan hosting: semua layanan normal.",
                    "Cek panel: pemakaian disk 61%, bandwidth bulan ini masih jauh di bawah kuota.",
                ],
                (
                    "Lambat dari semua jaringan, jadi bukan masalah koneksi pelanggan. Halaman "
                    "produk jauh lebih lambat dari halaman statis, dugaan masalah ada di database "
                    "atau aplikasi."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "Slow query log web03: query pencarian produk di tabel wp_postmeta butuh 9-11 "
                    "detik. Tabel membengkak jadi 2,1 juta baris karena plugin statistik menyimpan "
                    "data kunjungan di sana."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Bu Sari, penyebabnya sudah kami temukan: plugin statistik pengunjung "
                    "menyimpan datanya di tabel yang sama dengan data produk, sehingga tabel itu "
                    "membengkak dan pencarian produk jadi lambat. Kami sarankan plugin tersebut "
                    "dinonaktifkan dan datanya dibersihkan. Apakah boleh kami kerjakan malam ini "
                    "jam 22.00? Sebelumnya akan kami buat backup lengkap."
                ),
            ),
            ("status", "agent2", "pending"),
            (
                "customer_reply",
                (
                    "Boleh, silakan dikerjakan malam ini. Plugin itu memang sudah tidak kami "
                    "pakai, sekarang pakai Google Analytics."
                ),
            ),
            (
                "note",
                "agent2",
                (
                    "Backup penuh dibuat jam 21.50. Plugin statistik dinonaktifkan, 2,0 juta baris "
                    "data kunjungan dihapus dari wp_postmeta, tabel dioptimasi dan index "
                    "ditambahkan."
                ),
            ),
            (
                "resolve",
                "agent2",
                (
                    "Penyebab: plugin statistik mengisi wp_postmeta hingga 2,1 juta baris. Plugin "
                    "dinonaktifkan, data dibersihkan, index ditambahkan. Halaman produk sekarang "
                    "terbuka dalam 1,2 detik."
                ),
            ),
        ],
    },
    {
        "requester": "customer",
        "subject": "Tidak bisa menambah subdomain di panel, muncul 'DNS zone locked'",
        "description": (
            "Saya mau menambahkan subdomain promo.contoh.test untuk landing page kampanye bulan "
            "depan. Setiap klik Simpan di panel.contoh.test muncul pesan 'Gagal menyimpan: DNS "
            "zone locked'. Sudah dicoba di Chrome dan Firefox, hasilnya sama."
        ),
        "category": "panel-kontrol",
        "impact": "medium",
        "urgency": "medium",
        "channel": "web",
        "days_ago": 6,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Error zona DNS terkunci di panel; perlu dicek langsung di server DNS dan "
                    "panel oleh L2."
                ),
                [
                    (
                        "Coba tambah subdomain tes dari akun pelanggan (dengan izin pelanggan): "
                        "error yang sama."
                    ),
                    (
                        "Cek status domain contoh.test di registrar: aktif, tidak ada status "
                        "clientHold."
                    ),
                    "Logout-login ulang panel dan hapus cache browser: tidak berubah.",
                ],
                (
                    "Error muncul untuk semua subdomain baru, bukan hanya promo.contoh.test. "
                    "Record DNS yang sudah ada masih bisa dilihat. Dugaan ada lock yang tertinggal "
                    "dari proses sebelumnya."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "Ada file lock zona contoh.test dari job impor DNS tanggal 2 yang gagal di "
                    "tengah jalan. Lock sudah dihapus manual, tapi zona perlu dirapikan dulu "
                    "karena ada record yang terimpor setengah."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Selamat siang Bu Citra, kunci pada zona DNS sudah kami lepas. Sebelum Ibu "
                    "menambahkan subdomain lagi, mohon konfirmasi: apakah tanggal 2 kemarin ada "
                    "yang mencoba impor record DNS dari penyedia lama? Kami menemukan beberapa "
                    "record yang terimpor setengah dan perlu dipastikan mana yang masih dipakai."
                ),
            ),
            ("status", "agent2", "pending"),
            (
                "customer_reply",
                (
                    "Betul, tanggal 2 tim marketing mencoba memindahkan DNS dari penyedia lama. "
                    "Record yang penting hanya www, mail, dan promo. Yang lain boleh dihapus."
                ),
            ),
            (
                "note",
                "agent2",
                (
                    "Zona akan dirapikan besok pagi jam 07.00 di jendela perubahan: hapus record "
                    "sisa impor, sisakan www, mail, dan promo, lalu tes tambah subdomain dari "
                    "panel."
                ),
            ),
        ],
    },
    {
        "requester": "budi",
        "subject": "Email kantor masuk ke folder spam di penerima Gmail",
        "description": (
            "Beberapa klien bilang email dari alamat @contoh.test masuk ke folder spam mereka, "
            "terutama yang pakai Gmail. Ini mulai terjadi setelah pindah DNS minggu lalu. "
            "Akibatnya penawaran harga kami telat dibalas klien."
        ),
        "category": "email",
        "impact": "medium",
        "urgency": "high",
        "channel": "email",
        "days_ago": 11,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Email domain contoh.test gagal autentikasi di penerima setelah migrasi DNS; "
                    "perlu perubahan record DNS dan cek konfigurasi mail server."
                ),
                [
                    "Kirim email tes ke akun Gmail tim support: masuk ke folder spam.",
                    "Cek header email tes: 'dkim=fail (no key for signature)', SPF pass.",
                    "Cek record SPF di DNS: ada dan benar, mencantumkan mail.contoh.test.",
                ],
                (
                    "SPF lolos tetapi DKIM gagal karena kunci publiknya tidak ditemukan. Waktunya "
                    "cocok dengan migrasi DNS minggu lalu, kemungkinan record DKIM tidak ikut "
                    "dipindahkan."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "Benar, record TXT default._domainkey.contoh.test tidak ada di zona baru. "
                    "Record ditambahkan ulang dari kunci yang aktif di mail.contoh.test, sekalian "
                    "ditambahkan DMARC p=none untuk pemantauan."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Pak Budi, record DKIM untuk contoh.test ternyata tidak ikut terpindah saat "
                    "migrasi DNS, sehingga Gmail menganggap email kita tidak terverifikasi. Record "
                    "sudah kami tambahkan kembali dan email tes sekarang masuk ke kotak masuk. "
                    "Mungkin perlu 1-2 hari sampai reputasi di Gmail pulih sepenuhnya."
                ),
            ),
            (
                "resolve",
                "agent2",
                (
                    "Record DKIM default._domainkey.contoh.test yang hilang saat migrasi DNS "
                    "ditambahkan kembali, DMARC p=none ditambahkan. Header email tes: dkim=pass, "
                    "spf=pass."
                ),
            ),
            ("close", "lead"),
        ],
    },
    {
        "requester": "customer",
        "subject": "VPN sering putus sendiri kira-kira tiap 10 menit",
        "description": (
            "Saat kerja dari rumah, koneksi VPN ke vpn.contoh.test putus sendiri kira-kira tiap 10 "
            "menit dan harus disambungkan ulang. Pesan yang muncul 'Connection lost, "
            "reconnecting...'. Rekan kerja lain yang WFH tidak mengalami masalah ini."
        ),
        "category": "jaringan",
        "impact": "medium",
        "urgency": "medium",
        "channel": "web",
        "days_ago": 19,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-network",
                (
                    "VPN putus berulang pada satu pengguna; perlu cek log server VPN yang tidak "
                    "bisa diakses L1."
                ),
                [
                    "Reinstall aplikasi VPN lewat Software Center: masih putus.",
                    "Pengguna mencoba lewat hotspot HP: tetap putus sekitar 10 menit.",
                    "Cek akun pengguna: tidak terkunci, password belum kedaluwarsa.",
                ],
                (
                    "Putus terjadi di dua jaringan berbeda dengan jeda yang sangat teratur (9-10 "
                    "menit), pengguna lain normal. Kemungkinan masalahnya di pengaturan di laptop "
                    "pengguna, bukan di ISP rumah."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "Log vpn.contoh.test: klien pengguna ini masih memakai profil lama dari "
                    "sebelum migrasi server (keepalive 600 detik), sehingga server menganggap "
                    "sesinya idle lalu memutus. Server normal, tidak perlu perubahan di sisi "
                    "jaringan."
                ),
            ),
            (
                "deescalate",
                "agent2",
                1,
                (
                    "Tidak ada masalah di sisi server. Mohon bantu pengguna: 1) hapus profil "
                    "'Kantor-Lama' di aplikasi VPN, 2) impor profil baru vpn-contoh-v2.ovpn dari "
                    "folder bersama IT, 3) sambungkan dan pastikan koneksi bertahan lebih dari 30 "
                    "menit. Kalau dengan profil baru masih putus, eskalasi lagi ke l2-network "
                    "dengan jam kejadiannya."
                ),
            ),
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Selamat siang Bu Citra, dari log server ternyata aplikasi VPN di laptop Ibu "
                    "masih memakai profil lama dari sebelum server VPN diganti. Mohon hapus profil "
                    "'Kantor-Lama', lalu impor file vpn-contoh-v2.ovpn yang kami lampirkan, "
                    "kemudian sambungkan kembali. Tolong kabari apakah koneksinya bertahan lebih "
                    "dari 30 menit."
                ),
            ),
            ("status", "agent1", "pending"),
            (
                "customer_reply",
                (
                    "Sudah pakai profil baru. Dari tadi pagi sampai sekarang sudah 2 jam "
                    "tersambung terus tanpa putus."
                ),
            ),
            (
                "resolve",
                "agent1",
                (
                    "Profil VPN lama (keepalive 600 detik) diganti dengan vpn-contoh-v2.ovpn "
                    "sesuai instruksi L2. Koneksi stabil lebih dari 2 jam."
                ),
            ),
            ("close", "agent1"),
        ],
    },
    {
        "requester": "john",
        "subject": "Online shop shows 502 Bad Gateway several times a day",
        "description": (
            "Since Monday shop.sample.test intermittently returns '502 Bad Gateway', usually "
            "between 12:00 and 14:00 when traffic is highest. Each time it lasts a minute or two "
            "and then recovers by itself. Customers have reported at least three abandoned orders."
        ),
        "category": "hosting",
        "impact": "high",
        "urgency": "high",
        "channel": "email",
        "days_ago": 4,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Intermittent 502 errors on a production shop during peak hours; needs "
                    "server-side log analysis."
                ),
                [
                    (
                        "Reproduced at 12:40 from two networks: nginx '502 Bad Gateway' for about "
                        "90 seconds."
                    ),
                    "Checked the account's resource graphs: CPU at 95-100% in the same window.",
                    (
                        "Confirmed no recent changes in the panel: no new plugins, PHP version "
                        "unchanged for months."
                    ),
                ],
                (
                    "Errors line up with lunchtime traffic peaks and CPU saturation on the "
                    "account. The site recovers on its own, which points to a resource limit "
                    "rather than a crash."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "web05 PHP-FPM log: 'server reached pm.max_children setting (10)' at every "
                    "incident. Raised pm.max_children to 24 within the plan's memory limit and "
                    "enabled the page cache for category pages."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Hi John, the 502s happened because the shop ran out of PHP worker processes "
                    "at peak times. We've raised the limit and turned on caching for category "
                    "pages, which should take a lot of load off. We'll watch the next two "
                    "lunchtime peaks before closing this ticket and let you know what we see."
                ),
            ),
        ],
    },
    {
        "requester": "customer2",
        "subject": "Very slow transfers to your servers from our Leeds office only",
        "description": (
            "Staff at the Leeds office (public IP 198.51.100.140) say uploads to ftp.sample.test "
            "and the control panel have been very slow since yesterday, around 200 KB/s instead of "
            "the usual 8 MB/s. The head office, on a different ISP, is not affected. Speed tests "
            "to public sites from Leeds look normal."
        ),
        "category": "jaringan",
        "impact": "medium",
        "urgency": "medium",
        "channel": "email",
        "days_ago": 2,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Hi Claire, thanks for the details. We've run some checks on our side and are "
                    "passing this to our network team, who can look at the route between your "
                    "Leeds ISP and our data centre."
                ),
            ),
            (
                "escalate",
                "agent1",
                2,
                "l2-network",
                (
                    "Slow throughput from one customer site to our network only; looks like a "
                    "routing or peering problem, outside L1 tools."
                ),
                [
                    (
                        "Traceroute from our edge to 198.51.100.140: latency jumps from 4 ms to "
                        "180 ms at the ISP's peering hop."
                    ),
                    "Downloaded a test file from ftp.sample.test to our office: normal at 90 MB/s.",
                    "Customer ran a speed test to a public site from Leeds: 95 Mbit/s, normal.",
                ],
                (
                    "Only traffic between the Leeds ISP and our network is slow; the servers are "
                    "fine and general internet from Leeds is fine. The latency jump appears at the "
                    "peering point, so likely congestion or a poor route."
                ),
            ),
        ],
    },
    {
        "requester": "john",
        "subject": "Backup restore fails in the control panel: 'insufficient disk quota'",
        "description": (
            "After a bad import I tried to restore yesterday's backup of the database 'shopdb' "
            "from panel.sample.test. The restore job fails after a few minutes with 'Restore job "
            "failed: insufficient disk quota'. The panel says we're using 7.1 GB of 10 GB, so I "
            "don't understand why."
        ),
        "category": "panel-kontrol",
        "impact": "high",
        "urgency": "high",
        "channel": "phone",
        "days_ago": 27,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Customer needs an urgent database restore that fails in the panel; the quota "
                    "usage has to be checked on the server."
                ),
                [
                    (
                        "Retried the restore from the panel with the customer on the phone: same "
                        "error after 4 minutes."
                    ),
                    (
                        "Checked the backup in the panel: shopdb from yesterday 02:00, 2.4 GB "
                        "compressed, status OK."
                    ),
                    "Checked disk usage shown in the panel: 7.1 of 10 GB used.",
                ],
                (
                    "The backup itself looks healthy. 2.4 GB compressed is probably much larger "
                    "unpacked, so the restore may need more temporary space than the 2.9 GB still "
                    "free."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "Confirmed: the restore unpacks to the account's tmp directory first and the "
                    "uncompressed dump is 6.8 GB. Raised the quota to 20 GB for the duration of "
                    "the restore."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Hi John, the restore has to unpack the backup into a temporary folder first, "
                    "and unpacked it's about 6.8 GB, more than the free space on your plan. We "
                    "raised your quota temporarily and ran the restore; shopdb is now back to "
                    "yesterday 02:00. Please check the shop and confirm everything looks right."
                ),
            ),
            (
                "customer_reply",
                "Checked orders and products, all looks correct. Thank you, that was a big help.",
            ),
            (
                "resolve",
                "agent2",
                (
                    "Restore failed because the uncompressed dump (6.8 GB) exceeded the free "
                    "quota. Quota raised temporarily to 20 GB, shopdb restored from the 02:00 "
                    "backup, quota set back to 10 GB afterwards."
                ),
            ),
            ("close", "agent2"),
        ],
    },
    {
        "requester": "budi",
        "subject": "Email berlampiran tidak terkirim, tertahan dengan error 451",
        "description": (
            "Sejak Senin beberapa email saya yang berisi lampiran tidak pernah sampai ke penerima. "
            "Beberapa jam kemudian datang pemberitahuan 'Delivery delayed: 451 4.3.0 Temporary "
            "server error'. Email tanpa lampiran lancar. Lampirannya biasanya laporan dari sistem "
            "ERP yang nama filenya panjang."
        ),
        "category": "email",
        "impact": "high",
        "urgency": "high",
        "channel": "email",
        "days_ago": 24,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Email berlampiran tertahan di mail server dengan error sementara 451; perlu "
                    "cek antrean dan log mail server."
                ),
                [
                    (
                        "Kirim ulang salah satu email yang gagal ke alamat tes internal: tertahan "
                        "dengan error 451 yang sama."
                    ),
                    "Kirim lampiran yang sama setelah nama filenya diperpendek: terkirim normal.",
                    "Cek kuota mailbox pengirim: terpakai 35%, tidak penuh.",
                ],
                (
                    "Masalah hanya terjadi kalau nama file lampiran panjang (laporan ERP, sekitar "
                    "80 karakter). Lampiran yang sama dengan nama pendek terkirim. Mulai sejak "
                    "Senin, bersamaan dengan jadwal update mail server."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "Log mail.contoh.test: proses filter konten crash (segfault) setiap memproses "
                    "header Content-Disposition dengan nama file lebih dari 78 karakter yang "
                    "dipecah sesuai RFC 2231. Versi filter naik ke 3.4.1 pada update Senin."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Pak Budi, sejak update hari Senin komponen penyaring email di server gagal "
                    "memproses lampiran dengan nama file yang sangat panjang. Sementara ini mohon "
                    "nama file laporan diperpendek sebelum dikirim. Masalahnya kami teruskan ke "
                    "tim engineering untuk perbaikan permanen."
                ),
            ),
            (
                "escalate",
                "agent2",
                3,
                "l3-engineering",
                (
                    "Dugaan bug pada filter konten versi 3.4.1 di mail.contoh.test; perlu analisis "
                    "crash dan kemungkinan patch dari vendor."
                ),
                [
                    (
                        "Reproduksi di server staging dengan email tes berlampiran nama file 80 "
                        "karakter: filter crash, email tertahan 451."
                    ),
                    "Tes nama file 70 karakter: normal, jadi batasnya sekitar 78 karakter.",
                    (
                        "Pertimbangkan rollback ke 3.3.9: tidak disarankan karena versi itu punya "
                        "celah keamanan yang sudah ditutup di 3.4.x."
                    ),
                    "Flush manual antrean yang macet: email tetap gagal saat diproses ulang.",
                ],
                (
                    "Filter crash (segfault) saat mengurai parameter filename* yang dipecah sesuai "
                    "RFC 2231. Core dump tersimpan di /var/crash/ pada mail.contoh.test. Ada 46 "
                    "email dari 9 pengguna tertahan di antrean."
                ),
            ),
            ("assign", "agent3"),
            (
                "note",
                "agent3",
                (
                    "Dari core dump: buffer overflow di fungsi penggabung parameter RFC 2231 pada "
                    "versi 3.4.1. Sudah dilaporkan ke vendor dengan nomor kasus VND-88213 beserta "
                    "core dump dan email contoh; vendor mengonfirmasi bug dan menjanjikan patch "
                    "3.4.2. Sementara dipasang aturan di MTA yang memperpendek parameter filename "
                    "sebelum masuk filter, dan 46 email yang tertahan sudah terkirim."
                ),
            ),
            (
                "reply",
                "agent3",
                (
                    "Pak Budi, email yang tertahan sudah berhasil kami kirim ulang. Kami juga "
                    "memasang solusi sementara sehingga lampiran dengan nama panjang bisa terkirim "
                    "lagi, hanya saja nama filenya mungkin terlihat terpotong di sisi penerima. "
                    "Perbaikan permanen menunggu patch dari vendor, dan tiket ini akan kami "
                    "perbarui setelah patch terpasang."
                ),
            ),
            ("status", "agent3", "on_hold"),
        ],
    },
    {
        "requester": "sari",
        "subject": "Aplikasi ERP error, laporan penjualan tidak bisa dibuka",
        "description": (
            "Mulai tadi pagi menu Laporan Penjualan di erp.contoh.test menampilkan error 'Table "
            "penjualan_detail is marked as crashed and should be repaired'. Menu lain masih bisa "
            "dibuka. Tim Finance sedang tutup buku akhir bulan, jadi ini sangat mendesak."
        ),
        "category": "hosting",
        "impact": "high",
        "urgency": "high",
        "channel": "phone",
        "days_ago": 38,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Error database di aplikasi ERP produksi, data penjualan tidak bisa diakses "
                    "dan menghambat tutup buku."
                ),
                [
                    "Buka menu Laporan Penjualan dengan akun tes: error yang sama.",
                    "Cek menu lain (Pembelian, Stok): normal.",
                    "Cek status server database di panel: berjalan, disk terpakai 72%.",
                ],
                (
                    "Hanya tabel penjualan_detail yang bermasalah. Pesan error menunjukkan "
                    "tabelnya rusak, bukan masalah hak akses atau koneksi."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "db02 restart tidak normal jam 03.12 karena host kehabisan memori. REPAIR "
                    "TABLE penjualan_detail gagal dengan 'Incorrect key file'. Tidak dilanjutkan "
                    "ke myisamchk --recover tanpa engineering karena berisiko kehilangan baris."
                ),
            ),
            (
                "escalate",
                "agent2",
                3,
                "l3-engineering",
                (
                    "Tabel penjualan_detail rusak dan REPAIR gagal; pemulihan data berisiko "
                    "kehilangan data sehingga perlu L3."
                ),
                [
                    (
                        "Jalankan CHECK TABLE dan REPAIR TABLE penjualan_detail: gagal, 'Incorrect "
                        "key file for table'."
                    ),
                    "Salin file tabel ke /root/penjualan_detail.rusak sebelum tindakan lain.",
                    "Cek backup: backup harian terakhir jam 01.00 berhasil, binlog aktif.",
                ],
                (
                    "Kerusakan terjadi saat db02 restart tidak normal jam 03.12 karena kehabisan "
                    "memori (OOM). Backup jam 01.00 utuh dan binlog tersedia, jadi pemulihan "
                    "sampai sebelum jam 03.12 seharusnya bisa."
                ),
            ),
            ("assign", "agent3"),
            (
                "note",
                "agent3",
                (
                    "penjualan_detail dipulihkan dari backup 01.00 ke instance sementara, binlog "
                    "di-replay sampai 03.11.58, lalu dibandingkan dengan salinan rusak: tidak ada "
                    "baris yang hilang. Tabel produksi diganti dan engine diubah ke InnoDB. Batas "
                    "memori db02 dinaikkan dan alert OOM ditambahkan."
                ),
            ),
            (
                "reply",
                "agent3",
                (
                    "Bu Sari, data penjualan sudah kami pulihkan sepenuhnya dari backup dan "
                    "catatan transaksi database, tanpa ada data yang hilang. Menu Laporan "
                    "Penjualan sudah bisa dipakai lagi. Penyebabnya server database sempat mati "
                    "tidak normal dini hari tadi, dan kami sudah melakukan perubahan supaya "
                    "kejadian serupa tidak merusak data lagi."
                ),
            ),
            (
                "customer_reply",
                (
                    "Sudah kami cocokkan dengan tim Finance, angka penjualan sampai kemarin "
                    "sesuai. Terima kasih banyak atas bantuannya."
                ),
            ),
            (
                "resolve",
                "agent3",
                (
                    "penjualan_detail dipulihkan dari backup 01.00 ditambah replay binlog sampai "
                    "03.11, tanpa kehilangan data. Akar masalah: OOM di db02 menyebabkan restart "
                    "tidak normal dan merusak tabel MyISAM. Tabel dikonversi ke InnoDB, batas "
                    "memori dan alert OOM diperbaiki."
                ),
            ),
            ("close", "agent3"),
        ],
    },
    {
        "requester": "john",
        "subject": "Changing the PHP version for one site broke HTTPS on all our sites",
        "description": (
            "This morning I changed the PHP version for blog.sample.test from 8.1 to 8.2 in "
            "panel.sample.test. Right after that, shop.sample.test and www.sample.test started "
            "showing 'NET::ERR_CERT_COMMON_NAME_INVALID'. They are now being served with the "
            "blog's certificate. Our shop is effectively down for customers."
        ),
        "category": "panel-kontrol",
        "impact": "high",
        "urgency": "high",
        "channel": "phone",
        "days_ago": 35,
        "story": [
            ("assign", "agent1"),
            (
                "escalate",
                "agent1",
                2,
                "l2-hosting",
                (
                    "Production sites serving the wrong SSL certificate after a panel change; "
                    "urgent, needs web server access."
                ),
                [
                    (
                        "SSL checker: shop.sample.test and www.sample.test both present the "
                        "certificate for blog.sample.test."
                    ),
                    "Customer switched blog.sample.test back to PHP 8.1: certificates still wrong.",
                    "Re-saved the SSL settings for shop.sample.test in the panel: no change.",
                ],
                (
                    "The problem started exactly when the PHP version was changed for a different "
                    "domain. Reverting the PHP version did not help, so the panel seems to have "
                    "rewritten the web server config for every domain on the account."
                ),
            ),
            (
                "note",
                "lead",
                (
                    "Customer-facing outage on a production shop. Please post an update here every "
                    "hour until HTTPS is back."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "web02: after the panel's regenerate step the vhost configs of all 3 domains "
                    "on the account point ssl_certificate at blog.sample.test. Fixed by hand and "
                    "reloaded nginx at 10:05, sites OK. Reproduced on a test account: any PHP "
                    "version change triggers it, so this is a panel defect."
                ),
            ),
            (
                "reply",
                "agent2",
                (
                    "Hi John, HTTPS is working again on shop.sample.test and www.sample.test; we "
                    "corrected the server configuration by hand. The cause looks like a defect in "
                    "the control panel, so please don't change PHP versions until we confirm it's "
                    "fixed. We've passed it to our engineering team."
                ),
            ),
            (
                "escalate",
                "agent2",
                3,
                "l3-engineering",
                (
                    "Reproducible control-panel defect: changing the PHP version of one domain "
                    "rewrites the SSL certificate path of every domain on the account."
                ),
                [
                    (
                        "Corrected ssl_certificate paths for the customer's 3 vhosts on web02 by "
                        "hand and reloaded nginx."
                    ),
                    (
                        "Reproduced on test account test-ssl with two domains: a PHP change on "
                        "domain A gives both domains A's certificate."
                    ),
                    (
                        "Checked the panel job log: the 'regenerate vhosts' job runs for every "
                        "domain with the same template variables."
                    ),
                ],
                (
                    "The vhost regeneration triggered by a PHP change reuses the certificate "
                    "variables of the edited domain for all domains on the account. Affects any "
                    "account with more than one domain; panel 5.12 runs on all web servers."
                ),
            ),
            ("assign", "agent3"),
            (
                "note",
                "agent3",
                (
                    "Root cause in the vhost template renderer: since 5.12 the certificate context "
                    "is built once, outside the per-domain loop. Moved it inside the loop and "
                    "added a unit test for multi-domain accounts. Hotfix 5.12.1 deployed to all "
                    "web servers at 16:30. A scan found 7 other affected accounts, all corrected."
                ),
            ),
            (
                "reply",
                "agent3",
                (
                    "Hi John, we've found and fixed the underlying bug in the control panel and "
                    "rolled the fix out to all servers. You can change PHP versions safely again. "
                    "We tested it on your account with blog.sample.test, and all three sites kept "
                    "their own certificates."
                ),
            ),
            (
                "resolve",
                "agent3",
                (
                    "Root cause: the vhost renderer in panel 5.12 built the certificate context "
                    "outside the per-domain loop. Hotfix 5.12.1 deployed with a regression test; 7 "
                    "other affected accounts corrected."
                ),
            ),
        ],
    },
    {
        "requester": "customer2",
        "subject": "Webmail logs some users out straight away: 'Session expired'",
        "description": (
            "Three of our staff haven't been able to use webmail at mail.sample.test since the "
            "upgrade last weekend. They log in successfully and immediately get 'Session expired, "
            "please log in again'. Outlook works for them, and the rest of the staff have no "
            "problem."
        ),
        "category": "email",
        "impact": "medium",
        "urgency": "medium",
        "channel": "web",
        "days_ago": 9,
        "story": [
            ("assign", "agent1"),
            (
                "reply",
                "agent1",
                (
                    "Hi Claire, thanks for reporting this. Could you tell us the usernames of the "
                    "three affected staff and which browser each of them uses? Please don't send "
                    "their passwords."
                ),
            ),
            ("status", "agent1", "pending"),
            (
                "customer_reply",
                (
                    "They are anna.kowalski, mark.reid and li.wei. Anna and Mark use Edge, Li uses "
                    "Chrome. All three changed their passwords last week."
                ),
            ),
            (
                "escalate",
                "agent1",
                2,
                None,
                (
                    "Webmail session fails right after login for specific users since the webmail "
                    "upgrade; L1 steps did not help."
                ),
                [
                    (
                        "Cleared cookies and tried a private window with anna.kowalski on a screen "
                        "share: same 'Session expired' loop."
                    ),
                    (
                        "Confirmed IMAP/Outlook login works for all three, so the credentials are "
                        "valid."
                    ),
                    (
                        "Gave mark.reid a temporary password: webmail worked, then broke again "
                        "after he set his own."
                    ),
                ],
                (
                    "Only some users are affected and it depends on the password itself, since a "
                    "temporary password worked. All three set new passwords last week, after the "
                    "webmail upgrade."
                ),
            ),
            ("assign", "agent2"),
            (
                "note",
                "agent2",
                (
                    "Webmail log shows a session token decode error for these users. All three "
                    "passwords contain '&' (confirmed with the users without them revealing the "
                    "passwords). The new webmail version seems not to encode it when building the "
                    "session cookie; needs a code fix."
                ),
            ),
            (
                "escalate",
                "agent2",
                3,
                "l3-engineering",
                (
                    "Suspected regression in the upgraded webmail: passwords containing '&' break "
                    "the session cookie and users are logged out at once."
                ),
                [
                    (
                        "On staging, a user whose password contains '&' gets the same 'Session "
                        "expired' loop."
                    ),
                    "Same user with a password without '&': works normally.",
                    (
                        "Previous webmail version on the old staging image: no problem with the "
                        "'&' password."
                    ),
                ],
                (
                    "Regression in the new webmail version: session handling splits the cookie "
                    "value on '&'. Workaround is a password without '&'. Three users at "
                    "sample.test affected, other customers may be too."
                ),
            ),
            ("assign", "agent3"),
            (
                "reply",
                "agent3",
                (
                    "Hi Claire, we've confirmed this is a bug in the new webmail version, "
                    "triggered by a particular special character in passwords. Until the fix is "
                    "out, the affected users can keep using Outlook, or change their password to "
                    "one without the '&' character. We're preparing a fix and will update this "
                    "ticket once it's deployed."
                ),
            ),
            (
                "note",
                "agent3",
                (
                    "Found it in the session serializer: query-string style encoding without "
                    "escaping. Fix is in code review, targeting Thursday's maintenance window."
                ),
            ),
        ],
    },
]


def replay_sla_clocks(ticket_id: int) -> None:
    """Compute a demo ticket's SLA clocks again along its back-dated timeline.

    The demo tells a ticket in a moment and then moves its events into the past, so the
    clocks the actions set count from the moment of loading. Here the same clock functions
    the actions use run again at each event's (past) time: the policy and due times from the
    creation time, pauses while it waited, a new tier clock at each escalation, the first
    public reply of an agent, and a breach recorded when it was resolved late. Warnings and
    breaches of clocks still running are left to the sweep, which records them when the
    worker first runs. The events' SLA summaries are rewritten to match; no event is added.
    """
    ticket = Ticket.objects.select_related("tier").get(pk=ticket_id)
    events = list(ticket.events.select_related("actor").order_by("created_at", "id"))
    tier_ids = dict(Tier.objects.values_list("level", "pk"))
    moves = [e for e in events if e.kind in (EventKind.ESCALATED, EventKind.DEESCALATED)]
    ticket.tier_id = tier_ids[moves[0].data["from_tier"]] if moves else ticket.tier_id
    ticket.status = Status.NEW
    ticket.first_responded_at = None
    ticket.paused_since = None
    ticket.paused_seconds = 0
    for clock in clocks.CLOCKS:
        setattr(ticket, f"{clock}_warned_at", None)
        setattr(ticket, f"{clock}_breached_at", None)
    clocks.start_clocks(ticket, ticket.created_at)
    summaries: dict[int, dict] = {}
    for event in events:
        at = event.created_at
        if event.kind == EventKind.OPENED:
            summaries[event.pk] = {**event.data, "sla": clocks.summary(ticket)}
        elif event.kind == EventKind.STATUS_CHANGED:
            previous, ticket.status = ticket.status, event.data["to"]
            clocks.status_changed(ticket, previous, at)
        elif event.kind in (EventKind.SLA_PAUSED, EventKind.SLA_RESUMED):
            summaries[event.pk] = clocks.summary(ticket)
        elif event.kind == EventKind.REPLY and event.actor and event.actor.is_staff_member:
            if ticket.first_responded_at is None:
                ticket.first_responded_at = at
                clocks.first_response(ticket, at)
        elif event.kind in (EventKind.ESCALATED, EventKind.DEESCALATED):
            ticket.tier_id = tier_ids[event.data["to_tier"]]
            clocks.tier_changed(ticket, at)
            summaries[event.pk] = {**event.data, "sla": clocks.summary(ticket)}
        elif event.kind == EventKind.REOPENED:
            clocks.tier_changed(ticket, at)
            summaries[event.pk] = {**event.data, "sla": clocks.summary(ticket)}
        elif event.kind == EventKind.RESOLVED:
            if ticket.first_responded_at is None:
                ticket.first_responded_at = at
                clocks.first_response(ticket, at)
            summaries[event.pk] = {
                **event.data,
                "sla": {
                    **clocks.summary(ticket),
                    "first_response_met": ticket.first_response_breached_at is None,
                    "resolution_met": ticket.resolution_breached_at is None,
                },
            }
    Ticket.objects.filter(pk=ticket.pk).update(
        **{name: getattr(ticket, name) for name in clocks.CLOCK_FIELDS}
    )
    for event_id, data in summaries.items():
        Event.objects.filter(pk=event_id).update(data=data)

"""Generates articles.json: the knowledge base the relevance test searches.

Original text written for tierdesk: 30 single topics and 20 topics for four platforms, each
in Indonesian and English (translations share a ``group``). Run
``python tests/data/kb/generate.py`` after changing it; the output is deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path

PLATFORMS = {
    "windows": (
        "Windows",
        "buka **Pengaturan** dari menu Start",
        "open **Settings** from the Start menu",
    ),
    "macos": (
        "macOS",
        "buka **System Settings** dari menu Apple",
        "open **System Settings** from the Apple menu",
    ),
    "android": ("Android", "buka aplikasi **Setelan**", "open the **Settings** app"),
    "iphone": ("iPhone", "buka aplikasi **Pengaturan**", "open the **Settings** app"),
}

# key: (category, id title, en title, id steps, en steps)
PLATFORM_TOPICS = {
    "vpn-install": (
        "jaringan",
        "Memasang VPN kantor",
        "Install the office VPN",
        [
            "Unduh aplikasi VPN dari portal unduhan kantor.",
            "Jalankan pemasangan dan ikuti petunjuknya.",
            "Masukkan alamat server vpn.kantor.test dan akun kantor Anda.",
            "Sambungkan; ikon gembok menandakan VPN aktif.",
        ],
        [
            "Download the VPN client from the office download portal.",
            "Run the installer and follow the prompts.",
            "Enter the server address vpn.kantor.test and your work account.",
            "Connect; a padlock icon shows the VPN is active.",
        ],
    ),
    "email-setup": (
        "email",
        "Menambahkan akun surel kantor",
        "Add your work email account",
        [
            "Pilih **Akun** lalu **Tambah akun**.",
            "Pilih jenis akun Exchange atau Microsoft 365.",
            "Ketik alamat surel kantor dan kata sandi.",
            "Setujui kebijakan keamanan bila diminta.",
        ],
        [
            "Choose **Accounts** and then **Add account**.",
            "Pick Exchange or Microsoft 365 as the account type.",
            "Type your work email address and password.",
            "Accept the security policy when asked.",
        ],
    ),
    "wifi-connect": (
        "jaringan",
        "Menyambungkan ke Wi-Fi kantor",
        "Connect to the office Wi-Fi",
        [
            "Pilih menu **Wi-Fi** dan cari jaringan KANTOR-STAF.",
            "Masukkan nama pengguna dan kata sandi akun kantor.",
            "Terima sertifikat jaringan bila muncul.",
            "Tamu memakai jaringan KANTOR-TAMU dengan kode dari resepsionis.",
        ],
        [
            "Open the **Wi-Fi** menu and find the network KANTOR-STAF.",
            "Enter the username and password of your work account.",
            "Trust the network certificate if it appears.",
            "Guests use KANTOR-TAMU with a code from reception.",
        ],
    ),
    "printer-add": (
        "printer",
        "Pemasangan printer jaringan",
        "Install a network printer",
        [
            "Pilih **Printer & pemindai**.",
            "Klik **Tambah printer** dan tunggu daftar printer kantor.",
            "Pilih printer sesuai lantai, misalnya LT3-WARNA.",
            "Cetak halaman uji untuk memastikan printer siap.",
        ],
        [
            "Choose **Printers & scanners**.",
            "Click **Add printer** and wait for the office printers to appear.",
            "Pick the printer for your floor, for example LT3-WARNA.",
            "Print a test page to make sure the printer works.",
        ],
    ),
    "office-install": (
        "perangkat-lunak",
        "Memasang Microsoft Office",
        "Install Microsoft Office",
        [
            "Masuk ke portal Microsoft 365 dengan akun kantor.",
            "Pilih **Pasang aplikasi** lalu **Aplikasi Microsoft 365**.",
            "Tunggu unduhan dan pemasangan selesai.",
            "Buka Word dan masuk agar lisensi aktif.",
        ],
        [
            "Sign in to the Microsoft 365 portal with your work account.",
            "Choose **Install apps** then **Microsoft 365 apps**.",
            "Wait until the download and installation finish.",
            "Open Word and sign in so the license activates.",
        ],
    ),
    "antivirus-scan": (
        "keamanan",
        "Memindai virus dengan antivirus kantor",
        "Scan for viruses with the office antivirus",
        [
            "Buka aplikasi antivirus kantor.",
            "Pilih **Pindai penuh**, bukan pindai cepat.",
            "Biarkan perangkat menyala sampai pemindaian selesai.",
            "Karantina semua temuan dan laporkan ke layanan TI.",
        ],
        [
            "Open the office antivirus app.",
            "Choose **Full scan**, not quick scan.",
            "Keep the device on until the scan completes.",
            "Quarantine everything it finds and tell the IT service desk.",
        ],
    ),
    "zoom-audio": (
        "rapat",
        "Mengatasi suara Zoom tidak terdengar",
        "Fix Zoom audio that cannot be heard",
        [
            "Periksa ikon speaker di Zoom dan pilih perangkat audio yang benar.",
            "Pastikan volume perangkat tidak dibisukan.",
            "Izinkan Zoom memakai mikrofon di pengaturan privasi.",
            "Keluar dan masuk lagi ke rapat.",
        ],
        [
            "Check the speaker icon in Zoom and pick the right audio device.",
            "Make sure the device volume is not muted.",
            "Allow Zoom to use the microphone in the privacy settings.",
            "Leave the meeting and join again.",
        ],
    ),
    "update-os": (
        "perangkat-lunak",
        "Memperbarui sistem operasi",
        "Update the operating system",
        [
            "Pilih **Pembaruan perangkat lunak**.",
            "Unduh pembaruan yang tersedia.",
            "Simpan pekerjaan lalu mulai ulang perangkat.",
            "Pembaruan keamanan wajib dipasang dalam tujuh hari.",
        ],
        [
            "Choose **Software update**.",
            "Download the available updates.",
            "Save your work and restart the device.",
            "Security updates must be installed within seven days.",
        ],
    ),
    "storage-free": (
        "perangkat-keras",
        "Mengosongkan ruang penyimpanan yang penuh",
        "Free up storage space when the disk is full",
        [
            "Pilih **Penyimpanan** untuk melihat apa yang memakan ruang.",
            "Hapus unduhan lama dan kosongkan tempat sampah.",
            "Pindahkan foto dan video ke OneDrive.",
            "Copot aplikasi yang tidak dipakai.",
        ],
        [
            "Choose **Storage** to see what takes the space.",
            "Delete old downloads and empty the trash.",
            "Move photos and videos to OneDrive.",
            "Uninstall apps you no longer use.",
        ],
    ),
    "mfa-setup": (
        "akun",
        "Mengaktifkan verifikasi dua langkah",
        "Set up two-step verification",
        [
            "Pasang aplikasi Microsoft Authenticator.",
            "Buka halaman keamanan akun dan pilih **Tambah metode masuk**.",
            "Pindai kode QR dengan aplikasi.",
            "Masukkan kode OTP enam angka untuk menyelesaikan.",
        ],
        [
            "Install the Microsoft Authenticator app.",
            "Open the account security page and choose **Add sign-in method**.",
            "Scan the QR code with the app.",
            "Enter the six-digit one-time code to finish.",
        ],
    ),
    "teams-install": (
        "rapat",
        "Memasang Microsoft Teams",
        "Install Microsoft Teams",
        [
            "Unduh Teams dari portal Microsoft 365 atau toko aplikasi.",
            "Jalankan pemasangan.",
            "Masuk dengan akun kantor.",
            "Izinkan notifikasi agar panggilan tidak terlewat.",
        ],
        [
            "Download Teams from the Microsoft 365 portal or the app store.",
            "Run the installer.",
            "Sign in with your work account.",
            "Allow notifications so you do not miss calls.",
        ],
    ),
    "browser-cache": (
        "perangkat-lunak",
        "Menghapus cache dan cookie peramban",
        "Clear the browser cache and cookies",
        [
            "Buka peramban lalu menu **Riwayat**.",
            "Pilih **Hapus data penjelajahan**.",
            "Centang cache dan cookie, rentang waktu **Semua**.",
            "Tutup dan buka lagi peramban.",
        ],
        [
            "Open the browser and its **History** menu.",
            "Choose **Clear browsing data**.",
            "Tick cache and cookies, time range **All time**.",
            "Close and reopen the browser.",
        ],
    ),
    "screen-share": (
        "rapat",
        "Berbagi layar saat rapat daring",
        "Share your screen in an online meeting",
        [
            "Klik tombol **Bagikan layar** di aplikasi rapat.",
            "Pilih jendela atau seluruh layar.",
            "Izinkan perekaman layar di pengaturan privasi bila diminta.",
            "Klik **Berhenti berbagi** setelah selesai.",
        ],
        [
            "Click **Share screen** in the meeting app.",
            "Pick a window or the whole screen.",
            "Allow screen recording in the privacy settings if asked.",
            "Click **Stop sharing** when done.",
        ],
    ),
    "backup-files": (
        "penyimpanan",
        "Mencadangkan berkas kerja",
        "Back up your work files",
        [
            "Simpan dokumen kerja di folder OneDrive, bukan di desktop.",
            "Aktifkan cadangan folder Dokumen dan Gambar.",
            "Periksa ikon awan hijau tanda berkas sudah tersimpan.",
            "Pulihkan versi lama dari riwayat versi bila perlu.",
        ],
        [
            "Keep work documents in your OneDrive folder, not on the desktop.",
            "Turn on backup for the Documents and Pictures folders.",
            "Check for the green cloud icon that shows a file is saved.",
            "Restore an older version from version history if needed.",
        ],
    ),
    "bluetooth-pair": (
        "perangkat-keras",
        "Menyambungkan headset atau mouse Bluetooth",
        "Pair a Bluetooth headset or mouse",
        [
            "Nyalakan mode pairing di perangkat Bluetooth.",
            "Pilih **Bluetooth** dan aktifkan.",
            "Pilih perangkat dari daftar lalu **Sambungkan**.",
            "Lupakan perangkat lalu ulangi bila gagal.",
        ],
        [
            "Turn on pairing mode on the Bluetooth device.",
            "Choose **Bluetooth** and switch it on.",
            "Pick the device from the list and **Connect**.",
            "Forget the device and try again if it fails.",
        ],
    ),
    "certificate-install": (
        "keamanan",
        "Memasang sertifikat keamanan kantor",
        "Install the office security certificate",
        [
            "Unduh berkas sertifikat dari portal TI.",
            "Buka berkas dan pilih **Pasang sertifikat**.",
            "Simpan di penyimpanan sertifikat tepercaya.",
            "Mulai ulang peramban agar situs internal terbuka tanpa peringatan.",
        ],
        [
            "Download the certificate file from the IT portal.",
            "Open the file and choose **Install certificate**.",
            "Store it in the trusted certificate store.",
            "Restart the browser so internal sites open without warnings.",
        ],
    ),
    "calendar-share": (
        "email",
        "Membagikan kalender dengan rekan kerja",
        "Share your calendar with colleagues",
        [
            "Buka kalender di Outlook.",
            "Pilih **Bagikan kalender**.",
            "Ketik nama rekan dan pilih izin lihat atau edit.",
            "Rekan menerima undangan lewat surel.",
        ],
        [
            "Open the calendar in Outlook.",
            "Choose **Share calendar**.",
            "Type a colleague's name and pick view or edit permission.",
            "Your colleague receives an invitation by email.",
        ],
    ),
    "language-keyboard": (
        "perangkat-keras",
        "Mengubah bahasa papan ketik",
        "Change the keyboard language",
        [
            "Pilih **Bahasa & wilayah** atau **Papan ketik**.",
            "Tambahkan bahasa atau tata letak yang diinginkan.",
            "Gunakan tombol pintas untuk berpindah tata letak.",
            "Hapus tata letak yang tidak dipakai.",
        ],
        [
            "Choose **Language & region** or **Keyboard**.",
            "Add the language or layout you want.",
            "Use the shortcut to switch layouts.",
            "Remove layouts you do not use.",
        ],
    ),
    "onedrive-sync": (
        "penyimpanan",
        "Mengatasi OneDrive tidak sinkron",
        "Fix OneDrive not syncing",
        [
            "Periksa ikon OneDrive dan baca pesan kesalahannya.",
            "Pastikan kuota OneDrive belum penuh.",
            "Jeda lalu lanjutkan sinkronisasi.",
            "Keluar dan masuk lagi ke OneDrive bila masih gagal.",
        ],
        [
            "Check the OneDrive icon and read its error message.",
            "Make sure your OneDrive quota is not full.",
            "Pause and resume syncing.",
            "Sign out of OneDrive and back in if it still fails.",
        ],
    ),
    "app-uninstall": (
        "perangkat-lunak",
        "Menghapus aplikasi yang tidak dipakai",
        "Uninstall an app you no longer use",
        [
            "Pilih **Aplikasi**.",
            "Cari aplikasi yang ingin dihapus.",
            "Pilih **Copot pemasangan** dan konfirmasi.",
            "Aplikasi kantor yang wajib tidak bisa dihapus sendiri.",
        ],
        [
            "Choose **Apps**.",
            "Find the app you want to remove.",
            "Choose **Uninstall** and confirm.",
            "Required office apps cannot be removed by yourself.",
        ],
    ),
}

SINGLE_TOPICS = {
    "password-reset": (
        "akun",
        "Mengatur ulang kata sandi akun kantor",
        "Reset your work account password",
        [
            "Buka portal swalayan kata sandi.",
            "Masukkan nama pengguna dan kode verifikasi dari ponsel.",
            "Buat kata sandi baru minimal dua belas karakter.",
            "Masuk ulang di semua perangkat dengan kata sandi baru.",
        ],
        [
            "Open the self-service password portal.",
            "Enter your username and the verification code from your phone.",
            "Choose a new password of at least twelve characters.",
            "Sign in again on every device with the new password.",
        ],
    ),
    "password-expired": (
        "akun",
        "Kata sandi kedaluwarsa dan harus diganti",
        "Password expired and must be changed",
        [
            "Kata sandi kantor berlaku sembilan puluh hari.",
            "Saat masuk, pilih **Ganti kata sandi**.",
            "Jangan memakai lagi lima kata sandi terakhir.",
            "Perbarui kata sandi tersimpan di ponsel.",
        ],
        [
            "Work passwords are valid for ninety days.",
            "When signing in, choose **Change password**.",
            "Do not reuse your last five passwords.",
            "Update the password saved on your phone.",
        ],
    ),
    "account-locked": (
        "akun",
        "Akun terkunci setelah salah memasukkan kata sandi",
        "Account locked after too many wrong passwords",
        [
            "Akun terkunci otomatis setelah lima kali gagal masuk.",
            "Tunggu lima belas menit lalu coba lagi.",
            "Periksa perangkat lain yang masih memakai kata sandi lama.",
            "Hubungi layanan TI untuk membuka blokir akun segera.",
        ],
        [
            "Accounts lock automatically after five failed sign-ins.",
            "Wait fifteen minutes and try again.",
            "Check other devices that still use the old password.",
            "Contact the IT service desk to unlock the account right away.",
        ],
    ),
    "username-forgot": (
        "akun",
        "Lupa nama pengguna akun kantor",
        "Forgot your work username",
        [
            "Nama pengguna biasanya nama depan dan nama belakang dengan titik.",
            "Lihat surel sambutan dari TI saat pertama bergabung.",
            "Atasan dapat melihat nama pengguna di direktori.",
            "Layanan TI mengirimkannya ke surel pribadi yang terdaftar.",
        ],
        [
            "Your username is usually first name dot last name.",
            "Look for the welcome email IT sent when you joined.",
            "Your manager can look up usernames in the directory.",
            "The IT service desk can send it to your registered personal email.",
        ],
    ),
    "new-account": (
        "akun",
        "Meminta akun untuk karyawan baru",
        "Request accounts for a new employee",
        [
            "Atasan mengajukan permintaan paling lambat tiga hari kerja sebelum karyawan mulai.",
            "Sertakan nama lengkap, jabatan, dan tanggal mulai.",
            "Pilih aplikasi yang dibutuhkan.",
            "Akun dan kata sandi sementara dikirim ke atasan.",
        ],
        [
            "The manager files the request at least three working days before the start date.",
            "Include full name, job title and start date.",
            "Choose the applications the person needs.",
            "Accounts and a temporary password are sent to the manager.",
        ],
    ),
    "ip-unblock": (
        "jaringan",
        "Membuka blokir alamat IP yang diblokir firewall",
        "Unblock an IP address blocked by the firewall",
        [
            "Cari tahu alamat IP publik Anda di situs pengecek IP.",
            "Kirim alamat IP dan waktu kejadian ke layanan TI.",
            "Firewall memblokir alamat setelah banyak percobaan masuk gagal.",
            "Blokir dibuka dalam satu jam kerja.",
        ],
        [
            "Find your public IP address with an IP lookup site.",
            "Send the IP address and the time it happened to the service desk.",
            "The firewall blocks an address after many failed sign-in attempts.",
            "The block is lifted within one working hour.",
        ],
    ),
    "mailbox-full": (
        "email",
        "Kotak surat penuh karena kuota surel habis",
        "Mailbox full: email quota exceeded",
        [
            "Kosongkan folder Item Terhapus dan Sampah.",
            "Simpan lampiran besar ke OneDrive lalu hapus surelnya.",
            "Aktifkan arsip daring untuk surel lama.",
            "Minta tambahan kuota bila pekerjaan membutuhkannya.",
        ],
        [
            "Empty the Deleted Items and Junk folders.",
            "Save large attachments to OneDrive and delete the messages.",
            "Turn on the online archive for old mail.",
            "Ask for a larger quota if your work needs it.",
        ],
    ),
    "email-phishing": (
        "keamanan",
        "Melaporkan surel phishing yang mencurigakan",
        "Report a suspicious phishing email",
        [
            "Jangan klik tautan atau membuka lampiran.",
            "Gunakan tombol **Laporkan phishing** di Outlook.",
            "Bila sudah terlanjur memasukkan kata sandi, segera ganti.",
            "Layanan TI memblokir pengirim untuk semua orang.",
        ],
        [
            "Do not click links or open attachments.",
            "Use the **Report phishing** button in Outlook.",
            "If you already typed your password, change it at once.",
            "IT blocks the sender for everyone.",
        ],
    ),
    "printer-jam": (
        "printer",
        "Kertas macet di printer",
        "Paper jam in the printer",
        [
            "Matikan printer dan buka penutup depan.",
            "Tarik kertas yang macet perlahan searah jalannya kertas.",
            "Periksa baki kertas agar tidak terlalu penuh.",
            "Nyalakan lagi dan cetak ulang dokumen.",
        ],
        [
            "Turn the printer off and open the front cover.",
            "Pull the jammed paper out slowly in the direction it travels.",
            "Check the paper tray is not overfilled.",
            "Turn it back on and print the document again.",
        ],
    ),
    "printer-offline": (
        "printer",
        "Printer berstatus offline dan tidak mau mencetak",
        "Printer shows offline and will not print",
        [
            "Pastikan printer menyala dan kabel jaringan terpasang.",
            "Hapus antrean cetak yang tersangkut.",
            "Hapus printer lalu tambahkan lagi.",
            "Laporkan nama printer bila masih offline.",
        ],
        [
            "Make sure the printer is on and its network cable is plugged in.",
            "Clear stuck jobs from the print queue.",
            "Remove the printer and add it again.",
            "Report the printer name if it stays offline.",
        ],
    ),
    "printer-toner": (
        "printer",
        "Mengganti toner printer yang habis",
        "Replace an empty printer toner cartridge",
        [
            "Ambil toner pengganti di ruang persediaan lantai dua.",
            "Buka penutup printer dan lepaskan toner lama.",
            "Goyangkan toner baru lalu pasang sampai berbunyi klik.",
            "Kembalikan toner bekas ke kotak daur ulang.",
        ],
        [
            "Take a replacement toner from the second-floor supply room.",
            "Open the printer cover and take the old toner out.",
            "Shake the new toner and insert it until it clicks.",
            "Put the empty cartridge in the recycling box.",
        ],
    ),
    "internet-slow": (
        "jaringan",
        "Internet lambat di kantor",
        "Slow internet in the office",
        [
            "Uji kecepatan di speedtest internal.",
            "Pindah ke jaringan kabel bila memungkinkan.",
            "Tutup unduhan besar dan streaming video.",
            "Laporkan lokasi dan hasil uji kecepatan ke layanan TI.",
        ],
        [
            "Run the internal speed test.",
            "Switch to a wired connection if you can.",
            "Stop large downloads and video streaming.",
            "Report your location and the speed test result to IT.",
        ],
    ),
    "network-drive": (
        "penyimpanan",
        "Memetakan drive jaringan bersama",
        "Map a shared network drive",
        [
            "Buka File Explorer dan pilih **Petakan drive jaringan**.",
            "Pilih huruf drive, misalnya S:.",
            "Ketik alamat \\\\fileserver\\bersama.",
            "Centang **Sambungkan ulang saat masuk**.",
        ],
        [
            "Open File Explorer and choose **Map network drive**.",
            "Pick a drive letter, for example S:.",
            "Type the path \\\\fileserver\\bersama.",
            "Tick **Reconnect at sign-in**.",
        ],
    ),
    "projector": (
        "rapat",
        "Menyambungkan laptop ke proyektor ruang rapat",
        "Connect a laptop to the meeting room projector",
        [
            "Sambungkan kabel HDMI dari meja ke laptop.",
            "Tekan Windows+P dan pilih **Duplikat**.",
            "Pilih sumber HDMI pada remote proyektor.",
            "Gunakan adaptor USB-C yang tersedia di laci.",
        ],
        [
            "Plug the HDMI cable from the table into the laptop.",
            "Press Windows+P and choose **Duplicate**.",
            "Select the HDMI source on the projector remote.",
            "Use the USB-C adapter in the drawer if needed.",
        ],
    ),
    "laptop-battery": (
        "perangkat-keras",
        "Baterai laptop cepat habis",
        "Laptop battery drains quickly",
        [
            "Aktifkan mode hemat baterai.",
            "Turunkan kecerahan layar.",
            "Tutup aplikasi yang berjalan di latar belakang.",
            "Minta pemeriksaan kesehatan baterai bila di bawah 60 persen.",
        ],
        [
            "Turn on battery saver.",
            "Lower the screen brightness.",
            "Close apps running in the background.",
            "Ask for a battery health check if it is below 60 percent.",
        ],
    ),
    "laptop-overheat": (
        "perangkat-keras",
        "Laptop terlalu panas dan kipas berisik",
        "Laptop overheating with a loud fan",
        [
            "Letakkan laptop di permukaan keras, bukan di kasur.",
            "Bersihkan lubang udara dari debu.",
            "Periksa aplikasi yang memakai prosesor tinggi.",
            "Bawa laptop ke meja TI bila mati sendiri karena panas.",
        ],
        [
            "Put the laptop on a hard surface, not on a bed.",
            "Clean dust from the air vents.",
            "Check for apps using a lot of CPU.",
            "Bring the laptop to the IT desk if it shuts down from heat.",
        ],
    ),
    "keyboard-not-working": (
        "perangkat-keras",
        "Papan ketik tidak berfungsi",
        "Keyboard not working",
        [
            "Cabut dan pasang lagi kabel USB papan ketik.",
            "Ganti baterai papan ketik nirkabel.",
            "Coba port USB lain.",
            "Pinjam papan ketik cadangan dari meja TI.",
        ],
        [
            "Unplug the keyboard's USB cable and plug it back in.",
            "Replace the batteries of a wireless keyboard.",
            "Try another USB port.",
            "Borrow a spare keyboard from the IT desk.",
        ],
    ),
    "monitor-no-signal": (
        "perangkat-keras",
        "Monitor menampilkan tidak ada sinyal",
        "Monitor shows no signal",
        [
            "Periksa kabel daya dan kabel video.",
            "Pilih input yang benar dengan tombol di monitor.",
            "Tekan Windows+P untuk memilih mode layar.",
            "Coba kabel lain sebelum melapor.",
        ],
        [
            "Check the power cable and the video cable.",
            "Pick the right input with the monitor's buttons.",
            "Press Windows+P to choose the display mode.",
            "Try another cable before reporting it.",
        ],
    ),
    "software-request": (
        "perangkat-lunak",
        "Meminta perangkat lunak standar",
        "Request standard software",
        [
            "Lihat daftar perangkat lunak standar di portal.",
            "Buka Pusat Perangkat Lunak dan pilih aplikasi.",
            "Aplikasi di luar daftar butuh persetujuan atasan.",
            "Pemasangan berjalan otomatis dalam satu jam.",
        ],
        [
            "See the list of standard software in the portal.",
            "Open Software Center and choose the application.",
            "Software outside the list needs your manager's approval.",
            "Installation runs automatically within an hour.",
        ],
    ),
    "license-activate": (
        "perangkat-lunak",
        "Aktivasi lisensi Microsoft Office gagal",
        "Microsoft Office license activation fails",
        [
            "Keluar dari akun di Word lalu masuk lagi dengan akun kantor.",
            "Pastikan lisensi sudah diberikan di portal.",
            "Batas aktivasi lima perangkat per orang.",
            "Nonaktifkan perangkat lama di halaman akun.",
        ],
        [
            "Sign out of Word and sign back in with your work account.",
            "Make sure a license is assigned in the portal.",
            "The limit is five activated devices per person.",
            "Deactivate old devices on your account page.",
        ],
    ),
    "subscription-data": (
        "langganan",
        "Memperbarui data langganan layanan",
        "Update your service subscription details",
        [
            "Masuk ke portal pelanggan.",
            "Pilih **Langganan** dan layanan yang ingin diubah.",
            "Perbarui kontak penagihan dan alamat.",
            "Perubahan paket berlaku di periode tagihan berikutnya.",
        ],
        [
            "Sign in to the customer portal.",
            "Choose **Subscriptions** and the service to change.",
            "Update the billing contact and address.",
            "Plan changes apply from the next billing period.",
        ],
    ),
    "invoice-download": (
        "langganan",
        "Mengunduh tagihan dan faktur pajak",
        "Download invoices and tax invoices",
        [
            "Masuk ke portal pelanggan dan pilih **Tagihan**.",
            "Pilih bulan tagihan.",
            "Klik **Unduh PDF** untuk faktur.",
            "Faktur pajak terbit paling lambat tanggal lima belas.",
        ],
        [
            "Sign in to the customer portal and choose **Billing**.",
            "Pick the invoice month.",
            "Click **Download PDF** for the invoice.",
            "Tax invoices are issued by the fifteenth.",
        ],
    ),
    "website-down": (
        "hosting",
        "Situs web perusahaan tidak bisa diakses",
        "Company website is down",
        [
            "Buka situs dari jaringan lain untuk memastikan.",
            "Periksa halaman status hosting.",
            "Catat pesan kesalahan, misalnya 502 atau 503.",
            "Laporkan sebagai gangguan prioritas tinggi.",
        ],
        [
            "Open the site from another network to make sure.",
            "Check the hosting status page.",
            "Note the error message, such as 502 or 503.",
            "Report it as a high-priority outage.",
        ],
    ),
    "dns-domain": (
        "hosting",
        "Mengarahkan domain ke hosting baru",
        "Point a domain to new hosting",
        [
            "Masuk ke panel pengelola domain.",
            "Ubah record A ke alamat IP server hosting.",
            "Ubah record CNAME untuk www.",
            "Perubahan DNS menyebar dalam beberapa jam.",
        ],
        [
            "Sign in to the domain registrar's panel.",
            "Change the A record to the hosting server's IP address.",
            "Change the CNAME record for www.",
            "DNS changes spread within a few hours.",
        ],
    ),
    "ssl-renew": (
        "hosting",
        "Memperpanjang sertifikat SSL situs web",
        "Renew a website SSL certificate",
        [
            "Periksa tanggal kedaluwarsa sertifikat di peramban.",
            "Sertifikat Let's Encrypt diperpanjang otomatis.",
            "Sertifikat berbayar diperpanjang lewat control panel.",
            "Pasang sertifikat baru dan uji dengan pemeriksa SSL.",
        ],
        [
            "Check the certificate's expiry date in the browser.",
            "Let's Encrypt certificates renew automatically.",
            "Paid certificates are renewed in the control panel.",
            "Install the new certificate and test it with an SSL checker.",
        ],
    ),
    "database-backup": (
        "hosting",
        "Mencadangkan dan memulihkan basis data",
        "Back up and restore a database",
        [
            "Buka menu basis data di control panel hosting.",
            "Pilih **Cadangkan sekarang**.",
            "Unduh berkas cadangan dan simpan di tempat aman.",
            "Pulihkan dengan **Restore** dari berkas cadangan.",
        ],
        [
            "Open the databases menu in the hosting control panel.",
            "Choose **Back up now**.",
            "Download the backup file and keep it somewhere safe.",
            "Restore it with **Restore** from the backup file.",
        ],
    ),
    "control-panel-login": (
        "hosting",
        "Tidak bisa masuk ke control panel hosting",
        "Cannot sign in to the hosting control panel",
        [
            "Pastikan alamat control panel benar, dengan port 2083.",
            "Atur ulang kata sandi lewat tautan lupa kata sandi.",
            "Alamat IP Anda mungkin diblokir setelah banyak percobaan.",
            "Kirim nama domain ke layanan TI untuk diperiksa.",
        ],
        [
            "Make sure the control panel address is right, with port 2083.",
            "Reset the password with the forgot-password link.",
            "Your IP address may be blocked after many attempts.",
            "Send the domain name to the service desk for a check.",
        ],
    ),
    "ransomware": (
        "keamanan",
        "Langkah pertama bila terkena ransomware",
        "First steps after a ransomware infection",
        [
            "Cabut kabel jaringan dan matikan Wi-Fi segera.",
            "Jangan matikan komputer dan jangan bayar tebusan.",
            "Foto pesan tebusan di layar.",
            "Telepon layanan TI; ini gangguan prioritas tertinggi.",
        ],
        [
            "Unplug the network cable and turn Wi-Fi off at once.",
            "Do not shut the computer down and do not pay.",
            "Take a photo of the ransom message on screen.",
            "Call the IT service desk; this is a top-priority incident.",
        ],
    ),
    "usb-blocked": (
        "keamanan",
        "Flashdisk tidak terbaca atau diblokir",
        "USB flash drive not recognised or blocked",
        [
            "Kebijakan keamanan memblokir flashdisk pribadi.",
            "Gunakan flashdisk terenkripsi dari kantor.",
            "Kirim berkas lewat OneDrive sebagai gantinya.",
            "Ajukan pengecualian dengan persetujuan atasan.",
        ],
        [
            "Security policy blocks personal USB drives.",
            "Use an encrypted office USB drive.",
            "Share files through OneDrive instead.",
            "Request an exception with your manager's approval.",
        ],
    ),
    "shared-folder-access": (
        "akun",
        "Meminta akses ke folder bersama",
        "Request access to a shared folder",
        [
            "Cari tahu pemilik folder.",
            "Ajukan permintaan akses dengan alamat folder.",
            "Pemilik folder menyetujui hak baca atau tulis.",
            "Keluar dan masuk lagi agar akses berlaku.",
        ],
        [
            "Find out who owns the folder.",
            "File an access request with the folder path.",
            "The folder owner approves read or write permission.",
            "Sign out and back in so the access applies.",
        ],
    ),
}

INTRO_ID = "Panduan ini menjelaskan langkah yang biasa dilakukan layanan TI untuk {subject}."
INTRO_EN = "This guide walks through what the IT service desk usually does to {subject}."
OUTRO_ID = "Jika langkah di atas belum berhasil, buat tiket dan sebutkan langkah yang sudah dicoba."
OUTRO_EN = "If these steps did not help, open a ticket and list what you already tried."


def body(intro: str, steps: list[str], outro: str, lead: str | None = None) -> str:
    lines = [intro, ""]
    if lead:
        steps = [lead[0].upper() + lead[1:] + ".", *steps]
    lines += [f"{number}. {step}" for number, step in enumerate(steps, 1)]
    lines += ["", outro]
    return "\n".join(lines)


def articles() -> list[dict]:
    made = []
    for key, (category, title_id, title_en, steps_id, steps_en) in PLATFORM_TOPICS.items():
        for platform, (name, lead_id, lead_en) in PLATFORMS.items():
            group = f"{key}-{platform}"
            made.append(
                {
                    "key": f"{group}-id",
                    "group": group,
                    "language": "id",
                    "category": category,
                    "title": f"{title_id} di {name}",
                    "body": body(
                        INTRO_ID.format(subject=title_id.lower() + " di " + name),
                        steps_id,
                        OUTRO_ID,
                        lead_id,
                    ),
                }
            )
            made.append(
                {
                    "key": f"{group}-en",
                    "group": group,
                    "language": "en",
                    "category": category,
                    "title": f"{title_en} on {name}",
                    "body": body(
                        INTRO_EN.format(subject=title_en[0].lower() + title_en[1:] + " on " + name),
                        steps_en,
                        OUTRO_EN,
                        lead_en,
                    ),
                }
            )
    for key, (category, title_id, title_en, steps_id, steps_en) in SINGLE_TOPICS.items():
        made.append(
            {
                "key": f"{key}-id",
                "group": key,
                "language": "id",
                "category": category,
                "title": title_id,
                "body": body(INTRO_ID.format(subject=title_id.lower()), steps_id, OUTRO_ID),
            }
        )
        made.append(
            {
                "key": f"{key}-en",
                "group": key,
                "language": "en",
                "category": category,
                "title": title_en,
                "body": body(
                    INTRO_EN.format(subject=title_en[0].lower() + title_en[1:]), steps_en, OUTRO_EN
                ),
            }
        )
    return made


if __name__ == "__main__":
    out = Path(__file__).with_name("articles.json")
    out.write_text(json.dumps(articles(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(articles())} articles -> {out}")

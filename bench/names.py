"""Realistic Turkish names for the seeder: people, titles and the units of a büyükşehir."""

from __future__ import annotations

FIRST_NAMES = (
    "Ahmet", "Mehmet", "Mustafa", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf",
    "Murat", "Ömer", "Ramazan", "Halil", "Süleyman", "Abdullah", "Mahmut", "Salih", "Kemal", "Recep",
    "Fatih", "Emre", "Burak", "Serkan", "Volkan", "Onur", "Tolga", "Uğur", "Gökhan", "Barış",
    "Çağlar", "Çağrı", "Doğan", "Erdoğan", "Ercan", "Erkan", "Ferhat", "Gürkan", "Hakan", "İlker",
    "İlhan", "Kaan", "Levent", "Mert", "Metin", "Necati", "Oğuz", "Oğuzhan", "Özgür", "Özkan",
    "Rıza", "Sinan", "Şahin", "Şükrü", "Şenol", "Tarık", "Tuncay", "Ümit", "Ünal", "Yasin",
    "Yiğit", "Zeki", "Cengiz", "Cüneyt", "Işık", "Ilgaz", "Alper", "Arda", "Berk", "Cem",
    "Deniz", "Eren", "Furkan", "Görkem", "Hüsnü", "Kadir", "Nurettin", "Sadık", "Taner", "Çetin",
    "Fatma", "Ayşe", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra", "Sultan",
    "Hanife", "Merve", "Havva", "Zeliha", "Esra", "Fadime", "Özlem", "Hacer", "Yasemin", "Hülya",
    "Cemile", "Sevim", "Gülsüm", "Leyla", "Dilek", "Büşra", "Aysel", "Songül", "Kübra", "Rukiye",
    "Ebru", "Gül", "Gülay", "Güler", "Gülşen", "Gülten", "Tuğba", "Sibel", "Derya", "Serpil",
    "Nurcan", "Nur", "Şule", "Şeyma", "Çiğdem", "Gökçe", "Göksu", "Irmak", "Ilayda", "İpek",
    "İrem", "Öykü", "Özge", "Ülkü", "Ümran", "Pınar", "Aslı", "Burcu", "Canan", "Damla",
    "Ece", "Eda", "Feride", "Gizem", "Hande", "Işıl", "Melike", "Müge", "Neslihan", "Nilüfer",
    "Selin", "Seda", "Tülay", "Yeşim",
)  # fmt: skip

LAST_NAMES = (
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
    "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek",
    "Polat", "Özcan", "Korkmaz", "Çakır", "Erdoğan", "Yavuz", "Can", "Acar", "Şen", "Aktaş",
    "Güler", "Yalçın", "Güneş", "Bozkurt", "Bulut", "Keskin", "Ünal", "Turan", "Gül", "Özer",
    "Işık", "Kaplan", "Avcı", "Sarı", "Tekin", "Taş", "Köse", "Yüksel", "Ateş", "Aksoy",
    "Uçar", "Çiftçi", "Kalkan", "Sönmez", "Karataş", "Demirci", "Kahraman", "Tunç", "Aydoğan", "Erdem",
    "Çınar", "Ilıcak", "Ilgın", "Irmak", "Işıklı", "İnce", "İnan", "İpek", "İşler", "Karakuş",
    "Başaran", "Özbek", "Durmaz", "Altun", "Gündoğdu", "Çalışkan", "Akgül", "Eroğlu", "Türkmen", "Uysal",
    "Akın", "Özgür", "Şahingöz", "Dağ", "Güngör", "Tuna", "Akbulut", "Bayram", "Kocaman", "Karakaya",
    "Sezer", "Gökçe", "Gökalp", "Duman", "Ekinci", "Toprak", "Çoban", "Savaş", "Uzun", "Oral",
    "Yiğit", "Ağaoğlu", "Karaca", "Akyüz", "Bilgin", "Çağlayan", "Ertürk", "Göktaş", "Hacıoğlu", "Kılınç",
    "Kurtuluş", "Mutlu", "Nalbant", "Önal", "Özgün", "Pehlivan", "Sağlam", "Soylu", "Şener", "Tatlı",
    "Topçu", "Tüfekçi", "Ulusoy", "Ündağ", "Varol", "Yücel", "Zengin", "Ağca", "Büyükçelik", "Cömert",
    "Dönmez", "Ergün", "Gülşen", "Halıcı", "Kavak", "Kösem", "Öksüz", "Özyürek", "Sevinç", "Şişman",
    "Tokgöz", "Ürün", "Yazıcı", "Yeşil", "Çağıran", "Boğa", "Düzgün", "Karabağ", "Oğuz", "Işıkçı",
)  # fmt: skip

TITLES = (
    "Memur", "Memur", "Memur", "Memur", "Bilgisayar İşletmeni", "Bilgisayar İşletmeni",
    "Veri Hazırlama ve Kontrol İşletmeni",
    "Tekniker", "Teknisyen", "Mühendis", "İnşaat Mühendisi", "Bilgisayar Mühendisi", "Elektrik Mühendisi",
    "Mimar", "Şehir Plancısı", "Avukat", "Şef", "Şube Müdürü", "Uzman", "Programcı", "Çözümleyici",
    "Zabıta Memuru", "İtfaiye Eri", "Şoför", "İşçi", "İşçi", "Hemşire", "Sosyal Çalışmacı", "Ayniyat Memuru",
    "Büro Personeli", "Destek Personeli", "Kütüphaneci", "Harita Teknikeri", "Ziraat Mühendisi", "Veteriner Hekim",
)  # fmt: skip

DEPARTMENTS = (
    "Bilgi İşlem Dairesi Başkanlığı", "Fen İşleri Dairesi Başkanlığı", "İmar ve Şehircilik Dairesi Başkanlığı",
    "Zabıta Dairesi Başkanlığı", "İtfaiye Dairesi Başkanlığı", "Park ve Bahçeler Dairesi Başkanlığı",
    "Kültür ve Sosyal İşler Dairesi Başkanlığı", "Destek Hizmetleri Dairesi Başkanlığı",
    "İnsan Kaynakları ve Eğitim Dairesi Başkanlığı", "Mali Hizmetler Dairesi Başkanlığı",
    "Sağlık İşleri Dairesi Başkanlığı", "Çevre Koruma ve Kontrol Dairesi Başkanlığı", "Ulaşım Dairesi Başkanlığı",
    "Emlak ve İstimlak Dairesi Başkanlığı", "Yazı İşleri ve Kararlar Dairesi Başkanlığı",
    "Strateji Geliştirme Dairesi Başkanlığı", "Basın Yayın ve Halkla İlişkiler Dairesi Başkanlığı",
    "Sosyal Hizmetler Dairesi Başkanlığı", "Gençlik ve Spor Hizmetleri Dairesi Başkanlığı",
    "Tarımsal Hizmetler Dairesi Başkanlığı", "Deprem Risk Yönetimi ve Kentsel İyileştirme Dairesi Başkanlığı",
    "Dış İlişkiler Dairesi Başkanlığı", "Kadın ve Aile Hizmetleri Dairesi Başkanlığı",
    "Etüt ve Projeler Dairesi Başkanlığı", "İklim Değişikliği ve Sıfır Atık Dairesi Başkanlığı",
)  # fmt: skip

BRANCHES = (
    "Yazılım Geliştirme", "Sistem ve Ağ Yönetimi", "Teknik Destek", "Coğrafi Bilgi Sistemleri", "Satın Alma",
    "Muhasebe", "Bütçe ve Performans", "Personel", "Eğitim", "Arşiv", "Yapı Kontrol", "Ruhsat ve Denetim",
    "Planlama", "Harita", "Kamulaştırma", "Etüt Proje", "Yol Bakım", "Asfalt Yapım", "Çevre Denetim",
    "Atık Yönetimi", "Sosyal Yardım", "Engelli Hizmetleri", "Kültür Etkinlikleri", "Spor Tesisleri",
    "Halkla İlişkiler", "Basın ve Yayın", "İşletme", "Gelir", "Tahsilat", "Hukuk İşleri", "Kalite Yönetimi",
    "İç Kontrol", "Siber Güvenlik", "Akıllı Şehir", "Trafik Planlama", "Toplu Taşıma", "Park Bakım",
    "Ağaçlandırma", "Veteriner İşleri", "Gıda Denetim",
)  # fmt: skip

IT_BRANCHES = (
    "Yazılım Geliştirme", "Sistem ve Ağ Yönetimi", "Teknik Destek", "Siber Güvenlik", "Coğrafi Bilgi Sistemleri",
    "Akıllı Şehir",
)  # fmt: skip

SECTIONS = (
    "Teknik Destek Hizmetleri Şefliği", "Evrak ve Arşiv Şefliği", "Ayniyat Şefliği", "Tahakkuk Şefliği",
    "Veri Merkezi Şefliği", "Yazılım Şefliği", "Ağ Güvenliği Şefliği", "Santral Şefliği", "Bordro Şefliği",
    "Özlük İşleri Şefliği", "Kayıt Kabul Şefliği", "Denetim Şefliği", "Keşif Şefliği", "Hakediş Şefliği",
    "Bakım Onarım Şefliği", "Depo Şefliği", "İhale Şefliği", "Doğrudan Temin Şefliği", "Sosyal Tesisler Şefliği",
    "Koordinasyon Şefliği", "Çağrı Merkezi Şefliği", "Ölçüm ve Değerlendirme Şefliği", "İşletme Şefliği",
    "Güvenlik Şefliği", "Eğitim Şefliği",
)  # fmt: skip

# Queries a user types: with and without Turkish letters, upper and lower case, one or two words.
SEARCHES = (
    "yılmaz", "ÖZTÜRK", "isik", "şahin", "gul", "Çelik", "IŞIK", "ayşe kaya", "mehmet demir", "İBRAHİM",
    "gökçe", "ozdemir", "Ümit", "çağrı", "sahin ayse", "ılıcak", "irmak", "KILIÇ", "şef", "mühendis",
)  # fmt: skip

# People who always exist, so that every two-word search above finds someone at any data size.
FEATURED = (("Ayşe", "Kaya"), ("Mehmet", "Demir"), ("Ayşe", "Şahin"), ("İbrahim", "Işık"), ("Çağrı", "Ilıcak"))

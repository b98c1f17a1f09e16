"""The demo service desk's data: ticket stories and knowledge base articles (Turkish, as users write them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from biys.servicedesk.choices import Priority, Status

SUPPORT_UNIT = "Teknik Destek Hizmetleri Şefliği"
SYSTEMS_UNIT = "Sistem ve Donanım Hizmetleri Şefliği"
SOFTWARE_UNIT = "Yazılım Hizmetleri Şefliği"
TRAINING_UNIT = "Bilişim Eğitim Şefliği"


@dataclass(frozen=True)
class Scenario:
    """A ticket's story: opened ``days`` business days ago at ``hour`` (or ``hour`` hours ago when days is 0),
    then ``steps``, each (action, business hours after the previous step, *arguments)."""

    days: int
    hour: float
    item: str
    requester: str
    title: str
    description: str
    tech: str = "teknisyen"
    form: dict[str, Any] = field(default_factory=dict)
    steps: tuple[tuple[Any, ...], ...] = ()
    priority: int | None = None
    asset: bool = False


YOL = "Yol Yapım Şube Müdürlüğü"
IMAR, HARITA = "İmar Şube Müdürlüğü", "Harita Şube Müdürlüğü"
ZABITA, MUHASEBE = "Zabıta Şube Müdürlüğü", "Muhasebe Şube Müdürlüğü"
GELIR, PERSONEL = "Gelirler Şube Müdürlüğü", "Personel Şube Müdürlüğü"
SATIN, EVRAK = "Satın Alma Şube Müdürlüğü", "Evrak Şube Müdürlüğü"
ULASIM, ITFAIYE = "Toplu Taşıma Şube Müdürlüğü", "İtfaiye Dairesi Başkanlığı"
STRATEJI, IK = "Strateji Geliştirme Dairesi Başkanlığı", "İnsan Kaynakları ve Eğitim Dairesi Başkanlığı"

PRINTER = {"sorun": "Kağıt sıkıştırıyor", "yazici_yeri": "2. kat koridor"}
PC = {"cihaz_turu": "Masaüstü bilgisayar"}


def _closed(
    cause: str, text: str, score: int | None = None, comment: str = "", hours: float = 3
) -> tuple[tuple[Any, ...], ...]:
    done: tuple[tuple[Any, ...], ...] = (("resolve", hours, cause, text),)
    return done + ((("rate", 5, score, comment),) if score else (("close", 8),))


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(58, 9.5, "yazici-tarayici", f"{IMAR}#0+", "Yazıcı kağıt sıkıştırıyor", "Her çıktıda kağıt sıkışıyor.",
             form=PRINTER, asset=True,
             steps=(("assign", 0.5, "teknisyen"), ("start", 1),
                    ("form", 1, 45, "Silindir temizlendi, kağıt yolu ayarlandı."),
                    *_closed("HW-03", "Besleme silindiri temizlendi.", 5, "Çok hızlı geldiniz, teşekkürler."))),
    Scenario(54, 10, "eposta-hesabi", f"{PERSONEL}#1+", "Yeni personel için e-posta hesabı",
             "Göreve yeni başlayan memurumuz için kurumsal e-posta hesabı açılmasını rica ederiz.", tech="sd1",
             form={"ad_soyad": "Deniz Kara", "sicil_no": "S-09001", "islem": "Yeni hesap"},
             steps=(("start", 2), *_closed("REQ-01", "Hesap açıldı, ilk şifre kapalı zarfla iletildi.", 5))),
    Scenario(50, 14, "ag-noktasi", f"{ULASIM}#0", "Toplu Taşıma ofisinde internet yok",
             "Ofisteki 4 bilgisayar internete çıkamıyor.", tech="sd2",
             form={"talep_turu": "Bağlantı yok", "oda": "Zemin kat 04", "etkilenen": "4"}, priority=Priority.HIGH,
             steps=(("start", 0.5), ("worklog", 1, 40, "Kat switch'i yeniden başlatıldı, port hataları incelendi."),
                    *_closed("NW-02", "Arızalı switch portu değiştirildi.", hours=1))),
    Scenario(46, 11, "yazilim-sorunu", f"{MUHASEBE}#0+", "YBS'de tahakkuk ekranı açılmıyor",
             "Tahakkuk ekranına girince 'zaman aşımı' hatası alıyorum.", tech="yz1",
             form={"sistem": "YBS (Yönetim Bilgi Sistemi)", "hata_mesaji": "Zaman aşımı (timeout)"},
             steps=(("start", 5),
                    ("comment", 1, "tech", "Veritabanı bağlantı havuzunu artırdık, tekrar dener misiniz?"),
                    *_closed("SW-03", "Bağlantı havuzu ayarı düzeltildi.", 4, "Çözüldü ama biraz uzun sürdü.", 20))),
    Scenario(42, 9, "donanim-arizasi", f"{GELIR}#0+", "Bilgisayar açılmıyor", "Güç düğmesine basınca hiçbir tepki yok.",
             form={**PC, "acilmiyor": True},
             steps=(("assign", 1, "td2"), ("start", 1), ("form", 2, 60, "Güç kaynağı değiştirildi."),
                    *_closed("HW-01", "Güç kaynağı arızalıydı, yenisi takıldı.", 5, "Teşekkür ederim."))),
    Scenario(38, 15, "telefon-hatti", f"{SATIN}#0", "Dahili hat nakli", "Satın Alma 3. kattan 1. kata taşınıyor.",
             form={"islem": "Nakil (yer değişikliği)", "hat_no": "4512", "yeni_yer": "1. kat 112"},
             steps=(("start", 3), *_closed("REQ-01", "Hat nakli yapıldı, santral kaydı güncellendi.", hours=6))),
    Scenario(34, 10, "kamera", f"{ZABITA}#0", "Otopark kamerası görüntü vermiyor",
             "Zabıta otoparkındaki 3 numaralı kamerada görüntü yok.", tech="sd1",
             form={"talep_turu": "Arıza", "kamera_yeri": "Hizmet binası otoparkı, 3 no."}, priority=Priority.HIGH,
             steps=(("start", 1), ("form", 3, 90, "Kamera adaptörü değiştirildi, kayıt kontrol edildi."),
                    *_closed("HW-06", "Adaptör arızası giderildi."))),
    Scenario(30, 9.5, "cbs-hesabi", f"{HARITA}#0+", "CBS veri girişi yetkisi",
             "Yeni teknikerimize imar katmanında veri girişi yetkisi verilmesi.", tech="yz2",
             form={"kullanici": "Ebru Şen", "yetki": "Veri girişi / düzenleme", "gerekce": "Halihazır güncelleme"},
             steps=(("start", 2), *_closed("REQ-01", "Yetki tanımlandı.", 4, "", 2))),
    Scenario(27, 13.5, "yazici-tarayici", f"{YOL}#0", "Tarayıcı ağda görünmüyor",
             "Taramaları klasöre gönderemiyoruz.", form={"sorun": "Ağda görünmüyor"},
             steps=(("start", 6), *_closed("NW-03", "Tarayıcıya sabit IP verildi, paylaşım klasörü yeniden tanımlandı.",
                                           hours=14))),
    Scenario(24, 10, "donanim-arizasi", f"{EVRAK}#0+", "Monitör titriyor", "Ekran sürekli titriyor, göz yoruyor.",
             tech="td3", form={"cihaz_turu": "Monitör"},
             steps=(("start", 2), *_closed("HW-05", "Monitör kablosu değiştirildi.", 3, "Kablo tekrar gevşedi gibi."))),
    Scenario(21, 9, "yazilim-sorunu", "kullanici", "EBYS'de e-imza atamıyorum",
             "Evrak imzalarken 'sertifika bulunamadı' hatası alıyorum.", tech="yz1",
             form={"sistem": "EBYS (Elektronik Belge Yönetim Sistemi)", "hata_mesaji": "Sertifika bulunamadı"},
             steps=(("start", 1), ("wait", 0.5, Status.WAITING_REQUESTER, "Kart okuyucu takılı mı?"),
                    ("comment", 3, "requester", "Evet takılı, ışığı yanıyor."),
                    *_closed("SW-05", "Kart okuyucu sürücüsü güncellendi.", 4, "Sorun çözüldü.", 2))),
    Scenario(19, 14, "toplanti-destegi", f"{IK}#0+", "Hizmet içi eğitim için projeksiyon",
             "Salı günü eğitim salonunda 40 kişilik eğitim var.", tech="eg1",
             form={"tarih": "2026-10-20", "yer": "Eğitim salonu", "ihtiyac": "Projeksiyon, ses sistemi",
                   "katilimci": "40"},
             steps=(("start", 1),
                    ("form", 8, 120, "Projeksiyon ve ses sistemi kuruldu, eğitim boyunca destek verildi."),
                    *_closed("REQ-01", "Etkinlik desteği verildi.", 5, "Her şey yolundaydı."))),
    Scenario(17, 11, "donanim-arizasi", f"{MUHASEBE}#2+", "Bilgisayar çok yavaş ve hata veriyor",
             "Açılışı 10 dakika sürüyor, muhasebe programı donuyor.", tech="teknisyen", form=PC,
             steps=(("start", 2), ("note", 1, "Donanım sağlam; muhasebe yazılımı veritabanı istemcisi bozuk."),
                    ("transfer", 0.5, SOFTWARE_UNIT, "Donanımsal olmayan sorun: uygulama istemcisi yeniden kurulmalı "
                                                     "(Mersin md. 7/3-d)."),
                    ("start", 2, "yz2"), *_closed("SW-02", "Veritabanı istemcisi yeniden kuruldu.", 4, "", 3))),
    Scenario(15, 10, "yazici-tarayici", "kullanici", "Yazıcı toner bitti", "Toner uyarısı veriyor, çıktılar silik.",
             form={"sorun": "Toner / kartuş bitti"},
             steps=(("assign", 1, "td2"), ("start", 1), *_closed("HW-04", "Toner değiştirildi.", 5, "Teşekkürler."))),
    Scenario(13, 9.5, "donanim-arizasi", f"{ITFAIYE}#0", "Nöbet odasındaki bilgisayar açılmıyor",
             "Gece nöbetinde bilgisayar kapandı, bir daha açılmadı.", tech="sd2", form={**PC, "acilmiyor": True},
             priority=Priority.HIGH,
             steps=(("start", 1), ("form", 2, 75, "Anakart kondansatörleri şişmiş; yedek bilgisayar kuruldu."),
                    *_closed("HW-01", "Yedek bilgisayar verildi, arızalı cihaz hurda değerlendirmesine ayrıldı."))),
    Scenario(12, 14, "yazici-tarayici", f"{GELIR}#1+", "Yazıcı çizgili basıyor",
             "Garanti kapsamındaki yeni yazıcı her sayfada dikey çizgi bırakıyor.",
             form={"sorun": "Baskı silik / lekeli"}, asset=True,
             steps=(("start", 1), ("vendor", 1, "Örnek Bilişim Ltd. Şti.", "SRV-2026-3381"), ("vendor_back", 30),
                    ("approve", 1), *_closed("EXT-03", "Üretici fırın ünitesini garanti kapsamında değiştirdi.", 4,
                                             "Firma geç getirdi ama sorun çözüldü."))),
    Scenario(11, 10, "yazilim-sorunu", f"{PERSONEL}#2+", "PDKS kartım okunmuyor",
             "Giriş turnikesinde kartım okunmuyor, mesaim eksik görünüyor.", tech="yz1",
             form={"sistem": "PDKS (Personel Devam Kontrol Sistemi)"},
             steps=(("start", 3), *_closed("USR-03", "Kart kaydı yeniden tanımlandı, eksik kayıtlar düzeltildi.", 5))),
    Scenario(10, 11, "ag-noktasi", f"{STRATEJI}#0+", "Yeni ağ noktası", "Yeni gelen çalışma masası için data prizi.",
             tech="sd1", form={"talep_turu": "Yeni ağ noktası", "oda": "4. kat 408"},
             steps=(("start", 8), ("form", 16, 150, "Kablo çekildi, priz takıldı, switch portu açıldı."),
                    *_closed("REQ-01", "Ağ noktası hazır.", 2, "Çok uzun sürdü, iki hafta bekledik.", 4))),
    Scenario(9, 9, "donanim-talebi", f"{HARITA}#1+", "Çizim için ikinci monitör",
             "Harita çizimleri için 27 inç ikinci monitör ihtiyacımız var.",
             form={"cihaz": "Monitör", "adet": "1", "gerekce": "CBS çizim işleri"},
             steps=(("start", 4), ("cancel", 2, "Bu yıl bütçede yok; yatırım programına alındı."))),
    Scenario(8, 15, "yazici-tarayici", f"{ZABITA}#1+", "Yazıcı kağıt almıyor", "Tepsiden kağıt çekmiyor.",
             form={"sorun": "Kağıt sıkıştırıyor"}, tech="td3",
             steps=(("start", 1), ("resolve", 2, "HW-03", "Ayırıcı ped değiştirildi."),
                    ("reopen", 6, "Yine aynı sorun başladı."), ("form", 3, 50, "Kağıt tepsisi yayı değiştirildi."),
                    *_closed("HW-03", "Tepsi mekanizması onarıldı.", 4, "İkinci seferde düzeldi.", 1))),
    Scenario(7, 10, "yazilim-talebi", f"{IMAR}#2+", "Lisanslı PDF düzenleyici",
             "Plan notlarını düzenlemek için PDF düzenleme yazılımı.", tech="yz2",
             form={"yazilim": "PDF düzenleyici", "lisans": True, "gerekce": "Plan notları"},
             steps=(("start", 6), *_closed("REQ-01", "Kurumsal lisanstan kurulum yapıldı.", 5, "", 8))),
    Scenario(6, 9.5, "yazilim-sorunu", f"{GELIR}#2+", "Web sitesinde e-ödeme sayfası hata veriyor",
             "Vatandaşlar kredi kartıyla ödeme yapamadığını bildiriyor.", tech="yz1", priority=Priority.CRITICAL,
             form={"sistem": "Web sitesi / e-Belediye", "hata_mesaji": "500 Internal Server Error"},
             steps=(("start", 0.5), ("worklog", 1, 60, "Ödeme kuruluşunun sertifikası yenilenmiş; güncellendi."),
                    *_closed("EXT-02", "Sanal POS sertifikası güncellendi.", 5, "Hızlı müdahale için teşekkürler.",
                             1))),
    Scenario(6, 14, "donanim-arizasi", f"{YOL}#1", "Klavye tuşları basmıyor", "Bazı tuşlar çalışmıyor.",
             form={"cihaz_turu": "Klavye / fare"}, tech="td2",
             steps=(("start", 3), ("resolve", 1, "HW-05", "Klavye değiştirildi."), ("close", 16))),
    Scenario(5, 10, "kamera", f"{ZABITA}#2+", "Pazar yeri kamerası kaydı",
             "Pazar yerindeki olay için 12 Ekim kaydı gerekiyor.", tech="sd1",
             form={"talep_turu": "Kayıt görüntüsü", "kamera_yeri": "Pazar yeri girişi"},
             steps=(("start", 2), ("cancel", 1, "Kayıt saklama süresi (30 gün) dolmuş; görüntü yok."))),
    # Still open or waiting for the requester's confirmation.
    Scenario(9, 11, "yazici-tarayici", f"{MUHASEBE}#1+", "Renkli yazıcı garantiye gitti",
             "Renkli yazıcı hiç çıktı vermiyor, hata kodu 79.", form={"sorun": "Diğer"}, asset=True,
             steps=(("start", 1), ("vendor", 1, "Örnek Bilişim Ltd. Şti.", "SRV-2026-4410"))),
    Scenario(8, 9, "yazilim-sorunu", "kullanici", "EBYS'de evrak havale edemiyorum",
             "Havale ekranında birim listesi boş geliyor.", tech="yz2",
             form={"sistem": "EBYS (Elektronik Belge Yönetim Sistemi)"},
             steps=(("start", 2),
                    ("wait", 1, Status.WAITING_REQUESTER, "Hangi evrak numarasında? Ekran görüntüsü ekler misiniz?"))),
    Scenario(7, 14, "donanim-arizasi", f"{SATIN}#1+", "Dizüstü bilgisayar menteşesi kırıldı",
             "Ekran menteşesi kırıldı, ekran düşüyor.", form={"cihaz_turu": "Dizüstü bilgisayar"},
             steps=(("start", 2), ("vendor", 1, "Örnek Bilişim Ltd. Şti.", "SRV-2026-4502"), ("vendor_back", 24))),
    Scenario(6, 10, "yazici-tarayici", "kullanici", "Ağ yazıcısı listede yok",
             "Yeni bilgisayarımda ortak yazıcıyı bulamıyorum.", form={"sorun": "Ağda görünmüyor"},
             steps=(("assign", 0.5, "teknisyen"), ("start", 1),
                    ("resolve", 1, "USR-02", "Yazıcı eklendi; ekleme adımları bilgi bankasında."))),
    Scenario(5, 9, "ag-noktasi", f"{IK}#1+", "Eğitim salonunda kablosuz ağ kopuyor",
             "Eğitimlerde katılımcıların bağlantısı sürekli kopuyor.", tech="sd2",
             form={"talep_turu": "Bağlantı yavaş", "oda": "Eğitim salonu"},
             steps=(("start", 2), ("worklog", 2, 30, "Erişim noktası kanal taraması yapıldı."),
                    ("wait", 1, Status.WAITING_PARTS, "Yeni erişim noktası siparişte."))),
    Scenario(5, 15, "donanim-arizasi", f"{EVRAK}#1+", "UPS sürekli ötüyor", "Masamdaki UPS uyarı sesi veriyor.",
             tech="td2", form={"cihaz_turu": "UPS"},
             steps=(("start", 6), ("resolve", 12, "HW-01", "UPS aküsü değiştirildi; yedek akü depodan geldi."))),
    Scenario(4, 10, "yazilim-sorunu", f"{HARITA}#2+", "KBS katmanları yüklenmiyor",
             "Kent bilgi sisteminde imar katmanı açılmıyor.", tech="yz1",
             form={"sistem": "KBS / CBS (Kent / Coğrafi Bilgi Sistemi)"},
             steps=(("start", 1), ("worklog", 2, 90, "Harita sunucusu servis günlükleri incelendi."))),
    Scenario(4, 14, "telefon-hatti", f"{ULASIM}#1", "Yeni dahili hat talebi", "Yeni açılan bilet ofisi için hat.",
             tech="td3", form={"islem": "Yeni hat", "yeni_yer": "Otogar bilet ofisi"},
             steps=(("start", 4), ("resolve", 3, "REQ-01", "Hat tesis edildi, dahili 4870."))),
    Scenario(3, 9.5, "donanim-arizasi", "kullanici", "Bilgisayar mavi ekran veriyor",
             "Gün içinde birkaç kez mavi ekran verip yeniden başlıyor.", form=PC,
             steps=(("assign", 1, "teknisyen"), ("start", 2), ("note", 1, "Bellek testi planlandı."))),
    Scenario(3, 13.5, "eposta-hesabi", f"{STRATEJI}#1+", "Ortak posta kutusu", "Birim için ortak posta kutusu.",
             tech="sd1", form={"ad_soyad": "Strateji Birimi", "sicil_no": "-", "islem": "Ortak posta kutusu"},
             steps=(("assign", 2, "sd1"),)),
    Scenario(2, 11, "yazici-tarayici", f"{PERSONEL}#0+", "Tarayıcı PDF oluşturmuyor",
             "Tarama yapıyor ama dosya oluşmuyor.", form={"sorun": "Tarama çalışmıyor"},
             steps=(("assign", 1, "teknisyen"),)),
    Scenario(2, 15, "kamera", f"{ZABITA}#3+", "Ek kamera talebi", "Zabıta arşiv odasına kamera.",
             tech="sd2", form={"talep_turu": "Yeni kamera", "kamera_yeri": "Arşiv odası"},
             steps=(("assign", 1, "sd2"),)),
    Scenario(1, 10, "ag-noktasi", f"{GELIR}#3+", "Vezne bilgisayarında internet yok",
             "Vezne 2 numaralı bilgisayar ağa bağlanmıyor.", tech="sd2",
             form={"talep_turu": "Bağlantı yok", "oda": "Vezne 2"}, steps=(("start", 1),)),
    Scenario(0, 5, "yazici-tarayici", f"{IMAR}#1+", "Yazıcı sürekli kağıt sıkıştırıyor",
             "Arşiv odasındaki yazıcı sürekli kağıt sıkıştırıyor.", form=PRINTER),
    Scenario(0, 4, "yazici-tarayici", f"{YOL}#2", "Çok fonksiyonlu yazıcı hata veriyor",
             "Ekranda 'servis çağırın' yazıyor.", form={"sorun": "Diğer"}, tech="teknisyen",
             steps=(("cancel", 0.5, "Aynı yazıcı için açık kayıt var (mükerrer)."),)),
    Scenario(0, 3, "yazilim-talebi", f"{SATIN}#2+", "Teklif karşılaştırma tablosu için ofis yazılımı",
             "Yeni bilgisayarımda tablo programı yok.", form={"yazilim": "Ofis paketi", "gerekce": "Teklif tabloları"}),
    Scenario(0, 2, "toplanti-destegi", "kullanici", "Meclis toplantısı canlı yayın desteği",
             "Ayın ilk meclis toplantısı için ses ve canlı yayın desteği.",
             form={"tarih": "2026-12-01", "yer": "Meclis salonu", "ihtiyac": "Ses, internet, canlı yayın"}),
    Scenario(0, 1, "donanim-arizasi", f"{ITFAIYE}#1", "Santral bilgisayarı donuyor",
             "112 yönlendirme bilgisayarı donuyor.", tech="sd2", form=PC, priority=Priority.CRITICAL),
    Scenario(0, 0.5, "cbs-hesabi", f"{IMAR}#3+", "CBS görüntüleme yetkisi",
             "Stajyer mühendis için görüntüleme yetkisi.",
             form={"kullanici": "Kaan Yurt", "yetki": "Görüntüleme", "gerekce": "Staj"}),
)  # fmt: skip


ARTICLES: tuple[tuple[str, str, str, tuple[str, ...], str, bool], ...] = (
    (
        "Yazıcı kağıt sıkıştırıyor",
        "Sıkışan kağıdı yırtmadan çıkarın; sorun sürerse arıza kaydı açın.",
        "1. Yazıcıyı kapatın ve fişini çekin.\n"
        "2. Ön ve arka kapakları açın; sıkışan kağıdı iki elinizle, kağıt yolu yönünde yavaşça çekin.\n"
        "3. Tepsideki kağıtları havalandırın, kenarlarını hizalayın; tepsiyi aşırı doldurmayın.\n"
        "4. Islak, buruşuk veya delikli kağıt kullanmayın.\n\n"
        "Her çıktıda sıkışıyorsa silindir aşınmış olabilir: 'Yazıcı / tarayıcı arızası' kaydı açın.",
        ("yazici-tarayici",),
        "published",
        False,
    ),
    (
        "E-posta şifremi unuttum",
        "Kurumsal e-posta şifresi kimlik doğrulamasıyla sıfırlanır.",
        "Şifrenizi unuttuysanız giriş ekranındaki 'Şifremi unuttum' bağlantısını kullanın; doğrulama kodu kayıtlı "
        "cep telefonunuza gelir.\n\n"
        "Telefon numaranız kayıtlı değilse 'Yeni e-posta hesabı / posta kutusu' kaydı açın; Bilgi İşlem sizi "
        "arayıp kimliğinizi doğruladıktan sonra geçici şifre verir. Şifrenizi kimseyle paylaşmayın; Bilgi İşlem "
        "personeli şifrenizi asla sormaz.",
        ("eposta-hesabi",),
        "published",
        False,
    ),
    (
        "VPN bağlanmıyor",
        "Uzaktan erişimde en sık üç neden: süresi dolmuş şifre, yanlış sunucu adresi, ev ağındaki engel.",
        "1. İnternet bağlantınızın çalıştığını bir web sitesi açarak kontrol edin.\n"
        "2. VPN istemcisinde sunucu adresinin vpn.belediye.bel.tr olduğunu kontrol edin.\n"
        "3. Kurumsal şifrenizin süresi dolduysa önce kurum içinden şifrenizi değiştirin.\n"
        "4. Otel veya kafe ağlarında VPN engellenebilir; mobil bağlantıyla deneyin.\n\n"
        "Hâlâ bağlanamıyorsanız ekranda çıkan hata koduyla birlikte 'Ağ / internet bağlantı noktası' kaydı açın.",
        ("ag-noktasi",),
        "published",
        False,
    ),
    (
        "Ağ yazıcısını bilgisayara ekleme",
        "Ortak yazıcılar birim adına göre listelenir.",
        "Başlat > Ayarlar > Yazıcılar ve tarayıcılar > 'Cihaz ekle' adımlarını izleyin. Listede biriminizin adıyla "
        "başlayan yazıcıyı seçin (örneğin 'FEN-2KAT-HP'). Yazıcı listede yoksa bilgisayarınızın kurum ağına bağlı "
        "olduğundan emin olun ve bilgisayarı yeniden başlatın.",
        ("yazici-tarayici",),
        "published",
        False,
    ),
    (
        "EBYS'de e-imza hatası: 'Sertifika bulunamadı'",
        "Kart okuyucu sürücüsü ve imza uygulaması güncel olmalı.",
        "1. E-imza kartınızın okuyucuya tam takılı olduğundan emin olun; okuyucunun ışığı yanmalı.\n"
        "2. Tarayıcıyı tamamen kapatıp yeniden açın.\n"
        "3. İmza uygulaması simgesine sağ tıklayıp 'Sertifikaları yenile' deyin.\n\n"
        "Sorun sürerse 'Yazılım / uygulama sorunu' kaydı açın ve sistem olarak EBYS'yi seçin.",
        ("yazilim-sorunu",),
        "published",
        False,
    ),
    (
        "PDKS kartım okunmuyor",
        "Kartı okutamadığınız günler için birim amirinize bildirim yapın.",
        "Turnike kartınızı okumuyorsa kartın kırık veya bükük olmadığını kontrol edin ve başka bir turnikede deneyin. "
        "Hiçbir okuyucu kabul etmiyorsa 'Yazılım / uygulama sorunu' kaydı açın (sistem: PDKS); eksik giriş-çıkış "
        "kayıtlarınız düzeltme için Personel Şube Müdürlüğüne iletilir.",
        ("yazilim-sorunu",),
        "published",
        False,
    ),
    (
        "Toplantı salonunda projeksiyon görüntü vermiyor",
        "Çoğunlukla kaynak seçimi veya ekran yansıtma ayarıdır.",
        "1. Projeksiyon kumandasındaki 'Source / Kaynak' düğmesiyle HDMI girişini seçin.\n"
        "2. Dizüstü bilgisayarda Windows + P tuşlarına basıp 'Çoğalt' seçeneğini seçin.\n"
        "3. Kabloyu çıkarıp yeniden takın.\n\n"
        "Etkinliklerden en az üç iş günü önce 'Toplantı / etkinlik için bilişim desteği' kaydı açarsanız kurulum "
        "önceden yapılır.",
        ("toplanti-destegi",),
        "published",
        False,
    ),
    (
        "Switch portu err-disabled olduysa",
        "Yalnızca Bilgi İşlem personeli için: port güvenliği ihlalinden sonra portu açma.",
        "Port güvenliği ihlalinde port err-disabled durumuna düşer. Önce ihlale yol açan cihazı (kişisel modem, "
        "ikinci switch) tespit edip kaldırın; sonra arayüzde 'shutdown' ve 'no shutdown' komutlarını çalıştırın. "
        "İşlemi arıza kaydına iş kaydı olarak yazın.",
        ("ag-noktasi",),
        "published",
        True,
    ),
    (
        "Yeni personel için hesap açma kontrol listesi",
        "Taslak: e-posta, EBYS, PDKS ve YBS hesaplarının sırası.",
        "1. Personel Şube Müdürlüğünün görevlendirme yazısı\n2. E-posta hesabı\n3. EBYS kullanıcı ve birim yetkisi\n"
        "4. PDKS kart tanımı\n5. YBS rolü",
        ("eposta-hesabi", "yazilim-sorunu"),
        "draft",
        True,
    ),
)

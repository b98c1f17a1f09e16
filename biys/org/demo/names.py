"""Plausible Turkish names for demo and bench data (no real people)."""

from __future__ import annotations

import random

FIRST_NAMES = (
    "Ahmet Mehmet Mustafa Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil Süleyman Abdullah "
    "Mahmut Recep Salih Fatih Kadir Emre Hakan Serkan Burak Onur Uğur Tolga Çağlar Gökhan Özgür Erdem Barış Cem "
    "Kerem Emir Arda Eren Yiğit Batuhan Oğuz Tuncay Levent Sinan Şükrü Şahin Ferhat Cengiz Doğan Erkan Ilgaz "
    "Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve Özlem Büşra Esra Gülşen Gül "
    "Derya Sibel Selin Ebru Yasemin Tuğba Şeyma Nur Aslı Ceren Çiğdem İlknur Özge Gizem Pınar Dilek Sevgi Ilgın "
    "Nazlı Songül Gönül Şule Hülya Işıl Ayşegül Dilara Nihan Sevda Ümran Kübra Betül Irmak"
).split()
LAST_NAMES = (
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç "
    "Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Can Acar Şen Aktaş Güler Yalçın Güneş Bozkurt "
    "Bulut Keskin Ünal Turan Gül Özer Işık Kaplan Avcı Sarı Tekin Taş Köse Yüksel Ateş Aksoy Karaca Tunç Ekinci "
    "Uçar Başaran Uysal Erdem Güven Akın Toprak Ergin Sezer Altun Duman Karakaya Çiftçi Kalkan Uğurlu Ilıcak "
    "Akgül Sönmez Bayram Gündoğdu Işıkay Ölmez Ağaoğlu Coşkun Özbek Durmaz Çınar Akbulut Gürbüz Tuna Eren"
).split()


def tckn(rng: random.Random) -> str:
    """A syntactically valid T.C. identity number (checksums per DOMAIN §7.2); not a real person's."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    d10 = (7 * sum(digits[0:9:2]) - sum(digits[1:8:2])) % 10
    digits.append(d10)
    digits.append(sum(digits) % 10)
    return "".join(map(str, digits))


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)

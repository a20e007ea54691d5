"""Names and descriptions of every slash command and option in Japanese, German, Spanish and
French, as Discord shows them to members whose client uses that language
(`name_localizations` / `description_localizations`).

One table per kind: commands by their English name, options by their English name (an
option means the same thing in every command that has it). `localized` adds them to the
command payloads the tree sends; a test checks that every command and option has all four
languages and that each name obeys Discord's rules (lower case, 1-32 letters, digits, `-`,
`_` or `'`; descriptions 1-100 characters; unique within their command).
"""

from __future__ import annotations

from typing import Any

LOCALES: tuple[str, ...] = ("ja", "de", "es-ES", "fr")
"""Discord's locale codes of the languages shipped besides English."""

Texts = dict[str, tuple[str, str]]
"""Per locale: (name, description)."""

COMMANDS: dict[str, Texts] = {
    "progress": {
        "ja": ("昇級の進捗", "次の級・段への進み具合"),
        "de": ("fortschritt", "Dein Fortschritt zur nächsten Graduierung"),
        "es-ES": ("progreso", "Tu progreso hacia el siguiente grado"),
        "fr": ("progression", "Ta progression vers le grade suivant"),
    },
    "promote": {
        "ja": ("昇級登録", "メンバーの昇級を記録（インストラクター）"),
        "de": ("befördern", "Die Graduierung eines Mitglieds eintragen (Trainer)"),
        "es-ES": ("promocionar", "Registrar el nuevo grado de un miembro (instructores)"),
        "fr": ("promouvoir", "Enregistrer le nouveau grade d'un membre (instructeurs)"),
    },
    "promotion-fix": {
        "ja": ("昇級修正", "メンバーの最新の昇級を修正（管理者）"),
        "de": ("beförderung-korrigieren", "Die letzte Graduierung korrigieren (Admins)"),
        "es-ES": ("corregir-grado", "Corregir el último grado de un miembro (admins)"),
        "fr": ("corriger-grade", "Corriger le dernier grade d'un membre (admins)"),
    },
    "promotion-remove": {
        "ja": ("昇級削除", "メンバーの最新の昇級を削除（管理者）"),
        "de": ("beförderung-entfernen", "Die letzte Graduierung entfernen (Admins)"),
        "es-ES": ("quitar-grado", "Quitar el último grado de un miembro (admins)"),
        "fr": ("retirer-grade", "Retirer le dernier grade d'un membre (admins)"),
    },
    "audit": {
        "ja": ("監査ログ", "監査ログ（新しい順、管理者）"),
        "de": ("prüfprotokoll", "Das Prüfprotokoll, neueste zuerst (Admins)"),
        "es-ES": ("auditoría", "El registro de auditoría, lo más reciente primero (admins)"),
        "fr": ("journal-audit", "Le journal d'audit, le plus récent d'abord (admins)"),
    },
    "export-attendance": {
        "ja": ("出席エクスポート", "出席記録をCSVファイルでDMに送信"),
        "de": ("anwesenheit-exportieren", "Anwesenheit als CSV-Datei per DM"),
        "es-ES": ("exportar-asistencia", "La asistencia en un archivo CSV, por DM"),
        "fr": ("exporter-présences", "Les présences en fichier CSV, par message privé"),
    },
    "session": {
        "ja": ("セッション", "セッションと参加者を表示"),
        "de": ("sitzung", "Eine Sitzung anzeigen und wer kommt"),
        "es-ES": ("sesión", "Ver una sesión y quién va"),
        "fr": ("séance", "Afficher une séance et qui vient"),
    },
    "start-session": {
        "ja": ("セッション開始", "ライブを開始（セッションのインストラクター）"),
        "de": ("sitzung-starten", "Live gehen (Trainer der Sitzung)"),
        "es-ES": ("iniciar-sesión", "Empezar en directo (instructor de la sesión)"),
        "fr": ("démarrer-séance", "Passer en direct (instructeur de la séance)"),
    },
    "end-session": {
        "ja": ("セッション終了", "ライブ中のセッションを終了（インストラクター）"),
        "de": ("sitzung-beenden", "Eine laufende Sitzung beenden (Trainer der Sitzung)"),
        "es-ES": ("terminar-sesión", "Terminar una sesión en directo (instructor)"),
        "fr": ("terminer-séance", "Terminer une séance en direct (instructeur)"),
    },
    "join": {
        "ja": ("参加", "自分専用のルームリンクを取得"),
        "de": ("beitreten", "Deinen persönlichen Raumlink holen"),
        "es-ES": ("unirse", "Obtener tu enlace personal a la sala"),
        "fr": ("rejoindre", "Obtenir ton lien personnel vers la salle"),
    },
    "attendance": {
        "ja": ("出席", "誰がどれだけ出席したか"),
        "de": ("anwesenheit", "Wer teilgenommen hat und wie lange"),
        "es-ES": ("asistencia", "Quién asistió y durante cuánto tiempo"),
        "fr": ("présence", "Qui a participé et combien de temps"),
    },
    "schedule-session": {
        "ja": ("セッション予定", "ライブ練習セッションを予定する"),
        "de": ("sitzung-planen", "Eine Live-Trainingssitzung planen"),
        "es-ES": ("programar-sesión", "Programar una sesión de entrenamiento en directo"),
        "fr": ("planifier-séance", "Planifier une séance d'entraînement en direct"),
    },
    "schedule-session-form": {
        "ja": ("フォームで予定", "フォームでセッションを予定する"),
        "de": ("sitzung-formular", "Eine Sitzung mit einem Formular planen"),
        "es-ES": ("programar-con-formulario", "Programar una sesión con un formulario"),
        "fr": ("planifier-formulaire", "Planifier une séance avec un formulaire"),
    },
    "sessions": {
        "ja": ("セッション一覧", "セッションの一覧（既定：今後のもの）"),
        "de": ("sitzungen", "Sitzungen auflisten (standardmäßig die kommenden)"),
        "es-ES": ("sesiones", "Listar sesiones (por defecto, las próximas)"),
        "fr": ("séances", "Lister les séances (à venir par défaut)"),
    },
    "update-session": {
        "ja": ("セッション変更", "セッションを変更する"),
        "de": ("sitzung-ändern", "Eine Sitzung ändern"),
        "es-ES": ("cambiar-sesión", "Cambiar una sesión"),
        "fr": ("modifier-séance", "Modifier une séance"),
    },
    "cancel-session": {
        "ja": ("セッション中止", "セッションを中止（参加予定者に通知）"),
        "de": ("sitzung-absagen", "Eine Sitzung absagen; Angemeldete werden benachrichtigt"),
        "es-ES": ("cancelar-sesión", "Cancelar una sesión; se avisa a quienes van"),
        "fr": ("annuler-séance", "Annuler une séance ; les participants sont prévenus"),
    },
    "rsvp": {
        "ja": ("出欠", "席を取る（またはキャンセル待ち）か、取り消す"),
        "de": ("zusage", "Einen Platz (oder die Warteliste) nehmen oder absagen"),
        "es-ES": ("asistir", "Reservar plaza (o lista de espera), o dejarla"),
        "fr": ("participer", "Prendre une place (ou la liste d'attente), ou la laisser"),
    },
    "create-event": {
        "ja": ("イベント作成", "セッションをまとめるイベントを作成"),
        "de": ("veranstaltung-erstellen", "Eine Veranstaltung anlegen, die Sitzungen bündelt"),
        "es-ES": ("crear-evento", "Crear un evento que agrupa sesiones"),
        "fr": ("créer-événement", "Créer un événement qui regroupe des séances"),
    },
    "event": {
        "ja": ("イベント", "イベントとそのセッションを表示"),
        "de": ("veranstaltung", "Eine Veranstaltung und ihre Sitzungen anzeigen"),
        "es-ES": ("evento", "Ver un evento y sus sesiones"),
        "fr": ("événement", "Afficher un événement et ses séances"),
    },
    "help": {
        "ja": ("ヘルプ", "dojobotの使い方"),
        "de": ("hilfe", "So benutzt du dojobot"),
        "es-ES": ("ayuda", "Cómo usar dojobot"),
        "fr": ("aide", "Comment utiliser dojobot"),
    },
    "schedule-class": {
        "ja": ("週次クラス設定", "毎週のクラスを設定（先にプレビュー）"),
        "de": ("kurs-planen", "Einen wöchentlichen Kurs anlegen (erst die Vorschau)"),
        "es-ES": ("programar-clase", "Crear una clase semanal (con vista previa)"),
        "fr": ("planifier-cours", "Créer un cours hebdomadaire (aperçu d'abord)"),
    },
    "classes": {
        "ja": ("クラス一覧", "毎週のクラスの一覧"),
        "de": ("kurse", "Die wöchentlichen Kurse auflisten"),
        "es-ES": ("clases", "Listar las clases semanales"),
        "fr": ("liste-des-cours", "Lister les cours hebdomadaires"),
    },
    "class": {
        "ja": ("クラス", "毎週のクラスと今後の回を表示"),
        "de": ("kurs", "Einen wöchentlichen Kurs und seine nächsten Termine anzeigen"),
        "es-ES": ("clase", "Ver una clase semanal y sus próximas sesiones"),
        "fr": ("cours", "Afficher un cours hebdomadaire et ses prochaines séances"),
    },
    "every-week": {
        "ja": ("毎週参加", "毎週のクラスに毎回参加する"),
        "de": ("jede-woche", "Zu jedem Termin eines wöchentlichen Kurses gehen"),
        "es-ES": ("cada-semana", "Ir a todas las sesiones de una clase semanal"),
        "fr": ("chaque-semaine", "Aller à chaque séance d'un cours hebdomadaire"),
    },
    "not-every-week": {
        "ja": ("毎週参加をやめる", "毎週の参加をやめる（登録済みの回は残る）"),
        "de": ("nicht-jede-woche", "Nicht mehr jede Woche zu einem Kurs gehen"),
        "es-ES": ("no-cada-semana", "Dejar de ir cada semana a una clase"),
        "fr": ("pas-chaque-semaine", "Ne plus aller chaque semaine à un cours"),
    },
    "skip-class": {
        "ja": ("休講", "毎週のクラスの1日を休講にする"),
        "de": ("kurs-ausfallen", "Einen Tag eines wöchentlichen Kurses ausfallen lassen"),
        "es-ES": ("saltar-clase", "Saltar un día de una clase semanal"),
        "fr": ("sauter-cours", "Sauter un jour d'un cours hebdomadaire"),
    },
    "end-class": {
        "ja": ("クラス終了", "毎週のクラスを終了（今後の回は中止）"),
        "de": ("kurs-beenden", "Einen wöchentlichen Kurs beenden; kommende Termine entfallen"),
        "es-ES": ("terminar-clase", "Terminar una clase semanal; se cancelan las próximas"),
        "fr": (
            "terminer-cours",
            "Terminer un cours hebdomadaire ; les séances à venir sont annulées",
        ),
    },
    "update-class": {
        "ja": ("クラス変更", "毎週のクラスを変更する"),
        "de": ("kurs-ändern", "Einen wöchentlichen Kurs ändern"),
        "es-ES": ("cambiar-clase", "Cambiar una clase semanal"),
        "fr": ("modifier-cours", "Modifier un cours hebdomadaire"),
    },
    "calendar-feed": {
        "ja": (
            "カレンダーフィード",
            "自分のセッションを非公開のカレンダーフィードで（revoke：停止）",
        ),
        "de": ("kalender-feed", "Deine Sitzungen als privater Kalender-Feed (revoke: stoppen)"),
        "es-ES": (
            "feed-calendario",
            "Tus sesiones como feed de calendario privado (revoke: parar)",
        ),
        "fr": ("flux-agenda", "Tes séances en flux d'agenda privé (revoke : l'arrêter)"),
    },
    "training-page": {
        "ja": ("トレーニングページ", "自分のトレーニングページへの個人用リンク"),
        "de": ("trainingsseite", "Ein persönlicher Link zu deiner Trainingsseite"),
        "es-ES": ("página-entrenamiento", "Un enlace personal a tu página de entrenamiento"),
        "fr": ("page-entraînement", "Un lien personnel vers ta page d'entraînement"),
    },
    "class-page": {
        "ja": ("クラスページ", "クラスのページへの個人用リンク（スタッフ）"),
        "de": ("kursseite", "Ein persönlicher Link zur Seite eines Kurses (Team)"),
        "es-ES": ("página-clase", "Un enlace personal a la página de una clase (staff)"),
        "fr": ("page-cours", "Un lien personnel vers la page d'un cours (encadrants)"),
    },
    "overview": {
        "ja": ("概要", "団体の概要ページへの個人用リンク"),
        "de": ("übersicht", "Ein persönlicher Link zur Vereinsübersicht"),
        "es-ES": ("resumen", "Un enlace personal al resumen de la asociación"),
        "fr": ("vue-d-ensemble", "Un lien personnel vers la vue d'ensemble de l'association"),
    },
    "link": {
        "ja": ("連携", "DiscordとSlackのアカウントを1人のメンバーに連携する"),
        "de": ("verknüpfen", "Dein Discord- und Slack-Konto zu einem Mitglied verknüpfen"),
        "es-ES": ("vincular", "Vincular tus cuentas de Discord y Slack en un solo miembro"),
        "fr": ("lier", "Lier tes comptes Discord et Slack en un seul membre"),
    },
    "forget-me": {
        "ja": ("データ削除", "dojobotが保存しているあなたの情報をすべて削除"),
        "de": ("vergiss-mich", "Alles löschen, was dojobot über dich speichert"),
        "es-ES": ("olvidarme", "Borrar todo lo que dojobot guarda sobre ti"),
        "fr": ("oublie-moi", "Effacer tout ce que dojobot garde sur toi"),
    },
    "reminders": {
        "ja": ("リマインダー", "受け取るリマインダー、送り先、通知しない時間を選ぶ"),
        "de": ("erinnerungen", "Wähle, welche Erinnerungen du bekommst, wo und wann nicht"),
        "es-ES": ("recordatorios", "Elige qué recordatorios recibes, dónde y cuándo no"),
        "fr": ("rappels", "Choisis quels rappels tu reçois, où et quand pas"),
    },
    "claim": {
        "ja": ("席を確保", "案内された席を確保する"),
        "de": ("platz-nehmen", "Den dir angebotenen Platz nehmen"),
        "es-ES": ("reclamar-plaza", "Quedarte con la plaza que se te ofrece"),
        "fr": ("prendre-place", "Prendre la place qui t'est offerte"),
    },
    "pass": {
        "ja": ("席を譲る", "案内された席を次の人に譲る（待機リストから外れる）"),
        "de": ("platz-abgeben", "Den angebotenen Platz an die nächste Person weitergeben"),
        "es-ES": ("ceder-plaza", "Ceder la plaza que se te ofrece a la siguiente persona"),
        "fr": ("céder-place", "Céder la place offerte à la personne suivante"),
    },
    "seat-notice": {
        "ja": ("席の案内期限", "席の案内に必要な事前の時間"),
        "de": ("platz-vorlauf", "Wie viel Vorlauf du brauchst, um einen Platz zu bekommen"),
        "es-ES": ("aviso-plaza", "Con cuánta antelación quieres que te ofrezcan una plaza"),
        "fr": ("préavis-place", "De combien de préavis tu as besoin pour une place offerte"),
    },
    "keep-session": {
        "ja": ("セッション維持", "最少人数に満たなくてもセッションを行う"),
        "de": ("sitzung-behalten", "Eine Sitzung halten, obwohl weniger als das Minimum kommen"),
        "es-ES": ("mantener-sesión", "Mantener una sesión aunque vayan menos que el mínimo"),
        "fr": ("maintenir-séance", "Maintenir une séance malgré moins d'inscrits que le minimum"),
    },
    "my-record": {
        "ja": ("自分の記録", "無断欠席・直前キャンセル・制限の記録"),
        "de": ("meine-bilanz", "Deine Nichterscheinen, späten Absagen und Einschränkungen"),
        "es-ES": ("mi-historial", "Tus ausencias, cancelaciones tardías y restricciones"),
        "fr": ("mon-historique", "Tes absences, annulations tardives et restrictions"),
    },
    "appeal": {
        "ja": ("異議申立て", "セッションでの無断欠席・直前キャンセルに異議を申し立てる"),
        "de": ("einspruch", "Einspruch gegen dein Nichterscheinen oder späte Absage"),
        "es-ES": ("apelar", "Apelar tu ausencia o cancelación tardía en una sesión"),
        "fr": ("contester", "Contester ton absence ou ton annulation tardive"),
    },
    "waive": {
        "ja": ("記録免除", "セッションでのメンバーの記録を取り消す（管理者）"),
        "de": ("erlassen", "Die Markierung eines Mitglieds in einer Sitzung erlassen (Admins)"),
        "es-ES": ("anular-marca", "Anular la marca de un miembro en una sesión (admins)"),
        "fr": ("annuler-marque", "Annuler la marque d'un membre pour une séance (admins)"),
    },
    "mark-present": {
        "ja": ("出席を記録", "メンバーを出席として記録（セッションのインストラクター）"),
        "de": ("anwesend-eintragen", "Ein Mitglied als anwesend eintragen (Trainer der Sitzung)"),
        "es-ES": ("marcar-presente", "Marcar a un miembro como presente (instructor)"),
        "fr": ("marquer-présent", "Marquer un membre présent (instructeur de la séance)"),
    },
    "mark-absent": {
        "ja": ("欠席を記録", "メンバーを欠席として記録（セッションのインストラクター）"),
        "de": ("abwesend-eintragen", "Ein Mitglied als abwesend eintragen (Trainer der Sitzung)"),
        "es-ES": ("marcar-ausente", "Marcar a un miembro como ausente (instructor)"),
        "fr": ("marquer-absent", "Marquer un membre absent (instructeur de la séance)"),
    },
    "training-log": {
        "ja": ("稽古記録", "稽古の記録：セッション、時間、連続週"),
        "de": ("trainingsbuch", "Dein Trainingsbuch: Einheiten, Minuten, Serien"),
        "es-ES": ("registro-entrenos", "Tu registro: sesiones, minutos, rachas"),
        "fr": ("carnet-entraînement", "Ton carnet : séances, minutes, séries"),
    },
    "need-sub": {
        "ja": ("代行依頼", "代わりのインストラクターを探す（セッションのインストラクター）"),
        "de": ("vertretung-suchen", "Eine Vertretung suchen (Trainer der Sitzung)"),
        "es-ES": ("pedir-suplente", "Pedir un instructor suplente (instructor de la sesión)"),
        "fr": ("demander-remplaçant", "Demander un remplaçant (instructeur de la séance)"),
    },
    "take-sub": {
        "ja": ("代行を引き受ける", "代行としてセッションを担当する（先着1名）"),
        "de": ("vertretung-übernehmen", "Eine Sitzung als Vertretung leiten (wer zuerst zusagt)"),
        "es-ES": ("ser-suplente", "Dar una sesión como suplente (quien acepte primero)"),
        "fr": ("remplacer", "Donner une séance en remplaçant (le premier à accepter)"),
    },
}
"""Per command (its English name)."""

OPTIONS: dict[str, Texts] = {
    "csv": {
        "ja": ("csv", "選んだ範囲をすべてCSVファイルでDMに送信"),
        "de": ("csv", "Die ganze Auswahl als CSV-Datei per DM"),
        "es-ES": ("csv", "Toda la selección en un archivo CSV, por DM"),
        "fr": ("csv", "Toute la sélection en fichier CSV, par message privé"),
    },
    "actor": {
        "ja": ("実行者", "このメンバーが行った操作のみ"),
        "de": ("wer", "Nur was dieses Mitglied getan hat"),
        "es-ES": ("quién", "Solo lo que hizo este miembro"),
        "fr": ("auteur", "Seulement ce que ce membre a fait"),
    },
    "action": {
        "ja": ("操作", "この種類の操作のみ"),
        "de": ("aktion", "Nur diese Art von Aktion"),
        "es-ES": ("acción", "Solo este tipo de acción"),
        "fr": ("action", "Seulement ce type d'action"),
    },
    "rank": {
        "ja": ("級", "級・段（道場の順位表から）"),
        "de": ("graduierung", "Die Graduierung (aus der Liste des Dojos)"),
        "es-ES": ("grado", "El grado (de la lista del dojo)"),
        "fr": ("grade", "Le grade (de la liste du dojo)"),
    },
    "date": {
        "ja": ("日付", "審査の日付 YYYY-MM-DD"),
        "de": ("datum", "Datum der Prüfung, JJJJ-MM-TT"),
        "es-ES": ("fecha", "Fecha del examen, AAAA-MM-DD"),
        "fr": ("date", "Date du passage de grade, AAAA-MM-JJ"),
    },
    "session": {
        "ja": ("セッション", "セッション（入力して検索、またはIDを貼り付け）"),
        "de": ("sitzung", "Die Sitzung (tippen zum Suchen, oder ihre ID einfügen)"),
        "es-ES": ("sesión", "La sesión (escribe para buscar o pega su id)"),
        "fr": ("séance", "La séance (tape pour chercher, ou colle son id)"),
    },
    "title": {
        "ja": ("タイトル", "名前（タイトル）"),
        "de": ("titel", "Wie es heißt"),
        "es-ES": ("título", "Cómo se llama"),
        "fr": ("titre", "Son nom"),
    },
    "when": {
        "ja": ("日時", "開始日時：tomorrow 18:00 · fri 7pm · 2026-12-01 18:00 Asia/Tokyo"),
        "de": ("wann", "Beginn: tomorrow 18:00 · fri 7pm · 2026-12-01 18:00 Europe/Berlin"),
        "es-ES": ("cuándo", "Inicio: tomorrow 18:00 · fri 7pm · 2026-12-01 18:00 Europe/Madrid"),
        "fr": ("quand", "Début : tomorrow 18:00 · fri 7pm · 2026-12-01 18:00 Europe/Paris"),
    },
    "duration": {
        "ja": ("時間", "長さ（分）"),
        "de": ("dauer", "Länge in Minuten"),
        "es-ES": ("duración", "Duración en minutos"),
        "fr": ("durée", "Durée en minutes"),
    },
    "capacity": {
        "ja": ("定員", "席数（空欄で無制限）"),
        "de": ("plätze", "Plätze; leer lassen für unbegrenzt"),
        "es-ES": ("plazas", "Plazas; déjalo vacío para ilimitadas"),
        "fr": ("places", "Places ; laisser vide pour illimité"),
    },
    "recording": {
        "ja": ("録画", "録画する"),
        "de": ("aufnahme", "Aufzeichnen"),
        "es-ES": ("grabación", "Grabar"),
        "fr": ("enregistrement", "Enregistrer"),
    },
    "chat": {
        "ja": ("チャット", "ルームでのチャットを許可"),
        "de": ("chat", "Chat im Raum erlauben"),
        "es-ES": ("chat", "Permitir el chat en la sala"),
        "fr": ("chat", "Autoriser le chat dans la salle"),
    },
    "members_only": {
        "ja": ("メンバー限定", "メンバーだけが参加できる"),
        "de": ("nur-mitglieder", "Nur Mitglieder dürfen teilnehmen"),
        "es-ES": ("solo-miembros", "Solo pueden unirse los miembros"),
        "fr": ("membres-seulement", "Seuls les membres peuvent rejoindre"),
    },
    "event": {
        "ja": ("イベント", "イベント"),
        "de": ("veranstaltung", "Die Veranstaltung"),
        "es-ES": ("evento", "El evento"),
        "fr": ("événement", "L'événement"),
    },
    "description": {
        "ja": ("説明", "詳細"),
        "de": ("beschreibung", "Details"),
        "es-ES": ("descripción", "Detalles"),
        "fr": ("description", "Détails"),
    },
    "status": {
        "ja": ("状態", "どのセッション"),
        "de": ("status", "Welche Sitzungen"),
        "es-ES": ("estado", "Qué sesiones"),
        "fr": ("statut", "Quelles séances"),
    },
    "mine": {
        "ja": ("自分の担当", "自分が教えるものだけ"),
        "de": ("meine", "Nur die, die du leitest"),
        "es-ES": ("mías", "Solo las que impartes"),
        "fr": ("miennes", "Seulement celles que tu donnes"),
    },
    "unlimited": {
        "ja": ("無制限", "定員をなくす"),
        "de": ("unbegrenzt", "Platzlimit aufheben"),
        "es-ES": ("ilimitado", "Quitar el límite de plazas"),
        "fr": ("illimité", "Retirer la limite de places"),
    },
    "reason": {
        "ja": ("理由", "理由（メンバーに表示）"),
        "de": ("grund", "Warum (wird Mitgliedern gezeigt)"),
        "es-ES": ("motivo", "Por qué (se muestra a los miembros)"),
        "fr": ("raison", "Pourquoi (montré aux membres)"),
    },
    "answer": {
        "ja": ("回答", "going（既定）または leave"),
        "de": ("antwort", "going (Standard) oder leave"),
        "es-ES": ("respuesta", "going (por defecto) o leave"),
        "fr": ("réponse", "going (par défaut) ou leave"),
    },
    "days": {
        "ja": ("曜日", "開催曜日：mon,wed · tue,thu · weekdays"),
        "de": ("tage", "Kurstage: mon,wed · tue,thu · weekdays"),
        "es-ES": ("días", "Días: mon,wed · tue,thu · weekdays"),
        "fr": ("jours", "Jours : mon,wed · tue,thu · weekdays"),
    },
    "time": {
        "ja": ("時刻", "現地の開始時刻：17:30 · 5:30pm"),
        "de": ("uhrzeit", "Lokale Startzeit: 17:30 · 5:30pm"),
        "es-ES": ("hora", "Hora local de inicio: 17:30 · 5:30pm"),
        "fr": ("heure", "Heure locale de début : 17:30 · 5:30pm"),
    },
    "timezone": {
        "ja": ("タイムゾーン", "タイムゾーン（既定：あなたのもの）"),
        "de": ("zeitzone", "Zeitzone (Standard: deine)"),
        "es-ES": ("zona-horaria", "Zona horaria (por defecto: la tuya)"),
        "fr": ("fuseau", "Fuseau horaire (par défaut : le tien)"),
    },
    "until": {
        "ja": ("終了日", "最終日（その日を含む）例：2027-06-30"),
        "de": ("bis", "Letzter möglicher Tag (inklusive), z. B. 2027-06-30"),
        "es-ES": ("hasta", "Último día posible (incluido), p. ej. 2027-06-30"),
        "fr": ("fin", "Dernier jour possible (inclus), ex. 2027-06-30"),
    },
    "weeks": {
        "ja": ("週数", "または：何週間続くか"),
        "de": ("wochen", "Oder: wie viele Wochen er läuft"),
        "es-ES": ("semanas", "O: cuántas semanas dura"),
        "fr": ("semaines", "Ou : combien de semaines il dure"),
    },
    "every_other_week": {
        "ja": ("隔週", "隔週で開催"),
        "de": ("jede-zweite-woche", "Jede zweite Woche"),
        "es-ES": ("semanas-alternas", "Cada dos semanas"),
        "fr": ("une-semaine-sur-deux", "Une semaine sur deux"),
    },
    "from": {
        "ja": ("開始日", "初日（既定：今日）"),
        "de": ("ab", "Erster Tag (Standard: heute)"),
        "es-ES": ("desde", "Primer día (por defecto: hoy)"),
        "fr": ("début", "Premier jour (par défaut : aujourd'hui)"),
    },
    "tags": {
        "ja": ("タグ", "タグ（カンマ区切り）"),
        "de": ("tags", "Tags, durch Kommas getrennt"),
        "es-ES": ("etiquetas", "Etiquetas, separadas por comas"),
        "fr": ("étiquettes", "Étiquettes, séparées par des virgules"),
    },
    "class": {
        "ja": ("クラス", "毎週のクラス（入力して検索、またはIDを貼り付け）"),
        "de": ("kurs", "Der wöchentliche Kurs (tippen zum Suchen, oder seine ID einfügen)"),
        "es-ES": ("clase", "La clase semanal (escribe para buscar o pega su id)"),
        "fr": ("cours", "Le cours hebdomadaire (tape pour chercher, ou colle son id)"),
    },
    "day": {
        "ja": ("日付", "日付：2027-06-30 · 30 jun 2027 · tomorrow"),
        "de": ("tag", "Ein Datum: 2027-06-30 · 30 jun 2027 · tomorrow"),
        "es-ES": ("día", "Una fecha: 2027-06-30 · 30 jun 2027 · tomorrow"),
        "fr": ("jour", "Une date : 2027-06-30 · 30 jun 2027 · tomorrow"),
    },
    "following": {
        "ja": ("以降", "この回以降を変更（既定：今後のすべての回）"),
        "de": ("ab-termin", "Ab diesem Kurstag ändern (Standard: alle kommenden)"),
        "es-ES": ("a-partir-de", "Cambiar desde este día (por defecto: todas las próximas)"),
        "fr": ("à-partir-du", "Modifier à partir de ce jour (par défaut : tous les prochains)"),
    },
    "code": {
        "ja": ("コード", "もう一方のプラットフォームで /link が出したコード"),
        "de": ("code", "Der Code, den /link auf der anderen Plattform gezeigt hat"),
        "es-ES": ("código", "El código que te dio /link en la otra plataforma"),
        "fr": ("code", "Le code que /link t'a donné sur l'autre plateforme"),
    },
    "remove": {
        "ja": ("解除", "このDiscordアカウントの連携を解除"),
        "de": ("entfernen", "Dieses Discord-Konto von den anderen trennen"),
        "es-ES": ("quitar", "Desvincular esta cuenta de Discord de las demás"),
        "fr": ("retirer", "Délier ce compte Discord des autres"),
    },
    "member": {
        "ja": ("メンバー", "（管理者）削除するメンバー"),
        "de": ("mitglied", "(Admins) das Mitglied, das vergessen werden soll"),
        "es-ES": ("miembro", "(admins) el miembro que hay que olvidar"),
        "fr": ("membre", "(admins) le membre à oublier"),
    },
    "min": {
        "ja": ("最少人数", "最少参加人数：判断時刻に足りなければ開催か中止かを尋ねます"),
        "de": ("minimum", "Mindestzahl: fehlen Zusagen, wirst du gefragt, ob sie stattfindet"),
        "es-ES": ("mínimo", "Mínimo de asistentes: si faltan, se te pregunta si mantenerla"),
        "fr": ("minimum", "Minimum de participants : sinon, on te demande de maintenir ou non"),
    },
    "nomin": {
        "ja": ("最少人数なし", "最少人数を外す"),
        "de": ("kein-minimum", "Das Minimum entfernen"),
        "es-ES": ("sin-mínimo", "Quitar el mínimo"),
        "fr": ("sans-minimum", "Retirer le minimum"),
    },
    "decide": {
        "ja": ("判断", "開始の何分前に最少人数を判断するか（既定180）"),
        "de": ("entscheiden", "Minuten vor Beginn, zu denen das Minimum geprüft wird (180)"),
        "es-ES": ("decidir", "Minutos antes del inicio en que se decide el mínimo (180)"),
        "fr": ("décider", "Minutes avant le début où le minimum est décidé (180 par défaut)"),
    },
    "revoke": {
        "ja": ("停止", "フィードを止める：そのリンクは使えなくなります"),
        "de": ("widerrufen", "Den Feed stoppen: sein Link funktioniert nicht mehr"),
        "es-ES": ("revocar", "Parar el feed: su enlace deja de funcionar"),
        "fr": ("révoquer", "Arrêter le flux : son lien ne marche plus"),
    },
    "to": {
        "ja": ("終了日", "この日まで（この日を含む、YYYY-MM-DD）"),
        "de": ("bis", "Bis einschließlich zu diesem Tag (JJJJ-MM-TT)"),
        "es-ES": ("hasta", "Hasta este día incluido (AAAA-MM-DD)"),
        "fr": ("fin", "Jusqu'à ce jour inclus (AAAA-MM-JJ)"),
    },
    "notice": {
        "ja": ("期限", "これより直前の席の案内は不要（off：いつでも）"),
        "de": ("vorlauf", "Keine Plätze mit weniger Vorlauf anbieten (off: immer)"),
        "es-ES": ("antelación", "No ofrecerme plazas con menos antelación (off: siempre)"),
        "fr": ("préavis", "Ne pas m'offrir de place avec moins de préavis (off : toujours)"),
    },
}
"""Per option (its English name, the same meaning in every command that has it, unless
`COMMAND_OPTIONS` describes it for one command)."""

COMMAND_OPTIONS: dict[tuple[str, str], dict[str, str]] = {
    ("progress", "member"): {
        "ja": "（インストラクター・管理者）誰の進捗か。空欄：自分",
        "de": "(Trainer, Admins) wessen Fortschritt; leer: deiner",
        "es-ES": "(instructores, admins) de quién; vacío: el tuyo",
        "fr": "(instructeurs, admins) de qui ; vide : la tienne",
    },
    ("promote", "member"): {
        "ja": "昇級したメンバー",
        "de": "Das beförderte Mitglied",
        "es-ES": "El miembro que sube de grado",
        "fr": "Le membre promu",
    },
    ("promotion-fix", "member"): {
        "ja": "誰の最新の昇級か",
        "de": "Wessen letzte Graduierung",
        "es-ES": "De quién es el último grado",
        "fr": "Le dernier grade de qui",
    },
    ("promotion-remove", "member"): {
        "ja": "誰の最新の昇級か",
        "de": "Wessen letzte Graduierung",
        "es-ES": "De quién es el último grado",
        "fr": "Le dernier grade de qui",
    },
    ("training-page", "member"): {
        "ja": "（インストラクター・管理者）誰のページか。空欄：自分",
        "de": "(Trainer, Admins) wessen Seite; leer: deine",
        "es-ES": "(instructores, admins) de quién; vacío: la tuya",
        "fr": "(instructeurs, admins) de qui ; vide : la tienne",
    },
    ("my-record", "member"): {
        "ja": "（インストラクター・管理者）誰の記録か。空欄：自分",
        "de": "(Trainer, Admins) wessen Bilanz; leer: deine",
        "es-ES": "(instructores, admins) de quién; vacío: el tuyo",
        "fr": "(instructeurs, admins) de qui ; vide : le tien",
    },
    ("waive", "member"): {
        "ja": "記録を取り消すメンバー",
        "de": "Das Mitglied, dessen Markierung erlassen wird",
        "es-ES": "El miembro cuya marca se anula",
        "fr": "Le membre dont la marque est annulée",
    },
    ("mark-absent", "member"): {
        "ja": "欠席として記録するメンバー",
        "de": "Das Mitglied, das als abwesend eingetragen wird",
        "es-ES": "El miembro que se marca como ausente",
        "fr": "Le membre à marquer absent",
    },
    ("training-log", "member"): {
        "ja": "（インストラクター・管理者）誰の記録か。空欄：自分",
        "de": "(Trainer, Admins) wessen Trainingsbuch; leer: deins",
        "es-ES": "(instructores, admins) de quién; vacío: el tuyo",
        "fr": "(instructeurs, admins) de qui ; vide : le tien",
    },
    ("mark-present", "member"): {
        "ja": "出席として記録するメンバー",
        "de": "Das Mitglied, das als anwesend eingetragen wird",
        "es-ES": "El miembro que se marca como presente",
        "fr": "Le membre à marquer présent",
    },
    ("export-attendance", "session"): {
        "ja": "このセッションのみ（s-42 のようなID）",
        "de": "Nur diese Sitzung (ihre ID, etwa s-42)",
        "es-ES": "Solo esta sesión (su id, como s-42)",
        "fr": "Seulement cette séance (son id, comme s-42)",
    },
    ("export-attendance", "class"): {
        "ja": "この毎週のクラスのみ",
        "de": "Nur dieser wöchentliche Kurs",
        "es-ES": "Solo esta clase semanal",
        "fr": "Seulement ce cours hebdomadaire",
    },
    ("export-attendance", "member"): {
        "ja": "（インストラクター・管理者）このメンバーのみ。メンバーは常に自分の分",
        "de": "(Trainer, Admins) nur dieses Mitglied; Mitglieder erhalten ihre eigene",
        "es-ES": "(instructores, admins) solo este miembro; los miembros, la suya",
        "fr": "(instructeurs, admins) seulement ce membre ; un membre reçoit la sienne",
    },
    ("export-attendance", "from"): {
        "ja": "この日から（YYYY-MM-DD）",
        "de": "Ab diesem Tag (JJJJ-MM-TT)",
        "es-ES": "Desde este día (AAAA-MM-DD)",
        "fr": "À partir de ce jour (AAAA-MM-JJ)",
    },
}
"""Per (command, option): an option's descriptions where that command gives it another
meaning (its names stay those of `OPTIONS`)."""


def _with_texts(entry: dict[str, Any], texts: Texts | None) -> dict[str, Any]:
    if not texts:
        return entry
    return entry | {
        "name_localizations": {locale: texts[locale][0] for locale in LOCALES if locale in texts},
        "description_localizations": {
            locale: texts[locale][1] for locale in LOCALES if locale in texts
        },
    }


def _option_texts(command: str, option: str) -> Texts | None:
    """An option's names (`OPTIONS`) with this command's descriptions (`COMMAND_OPTIONS`)."""
    texts = OPTIONS.get(option)
    described = COMMAND_OPTIONS.get((command, option))
    if texts is None or described is None:
        return texts
    return {locale: (name, described.get(locale, text)) for locale, (name, text) in texts.items()}


def localized(command: dict[str, Any]) -> dict[str, Any]:
    """A command payload (discord.py's `to_dict`) with its and its options' localizations."""
    name = str(command.get("name"))
    options = [
        _with_texts(option, _option_texts(name, str(option.get("name"))))
        for option in command.get("options") or []
    ]
    return _with_texts(command, COMMANDS.get(name)) | {"options": options}

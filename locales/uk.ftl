# Channel alerts (HTML; variables with user text are escaped before they get here)
alert-power-off = 🔴 <b>Світло зникло</b>
    📍 { $place }
    🕒 { $time }{ $previous ->
        [none] {""}
       *[other] {" "}· світло було { $previous }
    }
alert-power-off-after-restart = 🔴 <b>Світла немає</b>
    📍 { $place }
    🕒 зникло між { $from } і { $to }
    ℹ️ Монітор у цей час перезапускався, тож точніше сказати не можна.
alert-power-on = 🟢 <b>Світло є</b>
    📍 { $place }
    🕒 { $time } · не було { $duration }
alert-power-on-uptime-note = ℹ️ Час, коли з'явилося світло, повідомив сам пристрій: він увімкнувся разом зі світлом.
alert-short-outage = 🟡 <b>Коротке відключення</b>
    📍 { $place }
    🕒 { $from }–{ $to } · до { $duration }
    ℹ️ Пристрій перезавантажився після втрати живлення, тому сповіщення не встигло вийти вчасно.
alert-flapping = ⚡ <b>Світло мигає</b>
    📍 { $place }
    { $changes }
    Зараз: { $now }
alert-flapping-now-on = 🟢 світло є
alert-flapping-now-off = 🔴 світла немає
alert-change-off = 🔴 { $time } зникло
alert-change-on = 🟢 { $time } з'явилося
alert-change-short = 🟡 { $from }–{ $to } коротке відключення

alert-delayed = ⏳ <b>Сповіщення затрималися</b>
    📍 { $place }
    { $changes }
    Зараз: { $now }
alert-delayed-note = ⏳ Сповіщення затрималося на { $delay }.
alert-span-off-on = 🔴 { $from }–🟢 { $to }, не було { $duration }
alert-change-on-after = 🟢 { $time } з'явилося, не було { $duration }
alert-digest = ⚡ <b>{ $time } — { $off } з { $total } { $total ->
        [one] місця
       *[other] місць
    } без світла</b>
    { $lines }
alert-digest-off = 🔴 { $place } · зникло о { $time }
alert-digest-on = 🟢 { $place } · з'явилося о { $time }, не було { $duration }
alert-digest-short = 🟡 { $place } · коротке відключення { $from }–{ $to }
alert-digest-changes = (змін: { $count })
alert-digest-more = …і ще { $count }
alert-digest-delayed = ⏳ Сповіщення затрималися: Telegram був недоступний.

duration-less-than-minute = менше хвилини
duration-days = { $n } д
duration-hours = { $n } год
duration-minutes = { $n } хв
duration-seconds = { $n } с

# Weekly diagram: drawn on the picture as plain text; its caption repeats the title and totals
diagram-title = { $place } · { $week }
diagram-week = { $first }–{ $last } { $month }
diagram-week-across-months = { $first } { $firstMonth } – { $last } { $lastMonth }
diagram-totals = Без світла: { $off } · відключень: { $outages } · найдовше: { $longest }
diagram-no-outages = Відключень не було
diagram-no-data = Даних ще немає
diagram-legend-on = Світло є
diagram-legend-off = Світла немає
diagram-legend-unknown = Немає даних
diagram-legend-future = Ще попереду
# The outage schedule's line under the totals: planned hours of the week so far, and the strip's pale part.
diagram-plan-planned = За графіком: { $planned }
diagram-plan-possible = можливе
# $day: 1 is Monday … 7 is Sunday
diagram-weekday = { $day ->
        [1] Пн
        [2] Вт
        [3] Ср
        [4] Чт
        [5] Пт
        [6] Сб
       *[7] Нд
    }
# $month: 1–12, as it reads after a day number ("17 листопада")
diagram-month = { $month ->
        [1] січня
        [2] лютого
        [3] березня
        [4] квітня
        [5] травня
        [6] червня
        [7] липня
        [8] серпня
        [9] вересня
        [10] жовтня
        [11] листопада
       *[12] грудня
    }

# Private notices to admins
notice-alerting-failed = ⚠️ <b>Не вдається надсилати сповіщення про місце «{ $place }»</b> у чат { $channel }.
    Причина: { $reason }
    Перевірте, що бот — адміністратор каналу з правом публікувати повідомлення. Попередження зникне після першого вдалого надсилання.
notice-delivery-delayed = ⏳ <b>Сповіщення про місце «{ $place }» затримуються</b>: Telegram не приймає їх у чат { $channel } уже { $minutes } хв.
    Причина: { $reason }
    Спроби тривають. Щойно вийде, у канал піде одне повідомлення про все, що сталося, і попередження зникне.

# Admin chat
not-admin = Вибачте, цей бот керує моніторингом світла лише для своїх адміністраторів.
setup-claimed = ✅ <b>Тепер ви адміністратор цього бота.</b> Код налаштування більше не діє; інших адміністраторів можна додати в «👥 Адміністратори».
help = <b>Монітор світла</b>
    У кожному місці стоїть плата ESP32, яка кожні кілька секунд надсилає сигнал. Якщо сигналів немає довше за тайм-аут місця, світла немає, і в канал місця йде сповіщення.
    /locations — місця, їхній стан і налаштування
    /add — додати місце (назва → тайм-аут → канал)
    /stats — статистика місця за 7 чи 30 днів або за місяць, з картинкою
    /diagram — опублікувати тижневу діаграму місця зараз
    /export — історія світла місця у CSV
    /backup — знімок бази даних
    /admins — хто може керувати ботом
    /language — мова цього чату
    /cancel — вийти з поточного кроку
cmd-start = Мої місця
cmd-settings = Мова і тихі години
cmd-locations = Місця та їхній стан
cmd-add = Додати місце
cmd-stats = Статистика світла за період
cmd-diagram = Опублікувати діаграму зараз
cmd-export = Історія світла у CSV
cmd-backup = Резервна копія бази
cmd-admins = Адміністратори
cmd-language = Мова цього чату
cmd-help = Довідка
cmd-cancel = Скасувати поточний крок
unknown-input = Не зрозумів. /locations — меню, /help — що я вмію.
button-stale = Ця кнопка вже не діє. /locations відкриває актуальне меню.
menu-outdated = Меню застаріло; ось актуальне.

main-title = <b>Місця</b> · { $count }
main-empty = Місць ще немає. Натисніть «➕ Додати місце», щоб додати перше.
main-hint = Оберіть місце, щоб побачити стан і налаштування.
main-failing = ⚠️ Не вдається надсилати сповіщення для { $count ->
        [one] { $count } місця
       *[other] { $count } місць
    }: відкрийте, щоб побачити причину.
btn-add-place = ➕ Додати місце
btn-admins = 👥 Адміністратори
btn-ui-language = 🌐 Мова / Language
btn-refresh = 🔄 Оновити
btn-back-places = ⬅️ Усі місця
btn-back = ⬅️ Назад
btn-no = ⬅️ Ні, назад
place-gone = Цього місця вже немає.

place-title = <b>{ $name }</b>
place-status-on = 🟢 Світло є { $duration } (з { $since })
place-status-off = 🔴 Світла немає { $duration } (з { $since })
place-status-unknown = ⚪ Невідомо { $duration } (з { $since })
place-status-waiting = ⚪ Чекаю на перший сигнал
place-paused = ⏸ На паузі: сигнали записуються, нічого не публікується
place-last-heartbeat = 📡 Останній сигнал { $time } ({ $ago } тому)
place-no-heartbeat = 📡 Сигналів ще не було
place-device = 🔧 { $facts }
place-device-fw = прошивка { $fw }
place-device-rssi = Wi-Fi { $rssi } дБм
place-device-uptime = працює { $uptime }
place-device-ip = IP { $ip }
place-timeout = ⏱ Тайм-аут { $timeout } · пристрій надсилає сигнал кожні { $interval } с
place-channel = 📢 Канал { $channel }
# A channel named by its title (already escaped); without one, its id is shown as it is.
channel-named = «{ $title }»
place-channel-default = 📢 Типовий канал { $channel }
place-channel-none = 📢 Каналу немає: сповіщення нікуди не публікуються
place-language = 🌐 Публікації { $language }
place-alerting-failed = ⚠️ Сповіщення не надсилаються: { $reason }
place-paused-now = ⏸ На паузі. Сигнали й далі записуються; нічого не публікується, доки не відновите.
place-resumed = ▶️ Відновлено. Стеження почнеться знову з наступного сигналу.
language-name-uk = українською
language-name-en = англійською
btn-language-uk = 🇺🇦 Українська
btn-language-en = 🇬🇧 English

btn-config = 📟 Конфіг ESP32
btn-events = 📜 Останні події
btn-rename = ✏️ Перейменувати
btn-timeout = ⏱ Тайм-аут
btn-channel = 📢 Канал
btn-post-language = 🌐 Мова публікацій
btn-pause = ⏸ Пауза
btn-resume = ▶️ Відновити
btn-diagram = 📊 Діаграма зараз
btn-rotate = 🔑 Новий ключ
btn-delete = 🗑 Видалити

rotate-confirm = 🔑 Новий ключ для місця <b>{ $name }</b>. Що робити зі старим?
    🔄 <b>Планова заміна</b>: старий ключ працює, доки плата вперше не надішле сигнал з новим (не довше 7 днів).
    ⛔ <b>Ключ витік</b>: старий перестає діяти одразу; доки плату не прошиють новим ключем, місце чекає й не повідомляє про відключення.
btn-rotate-keep = 🔄 Планова заміна
btn-rotate-revoke = ⛔ Ключ витік: вимкнути старий
rotate-done-keep = 🔑 <b>{ $name }</b> має новий ключ. Старий працюватиме, доки плата не надішле сигнал з новим (до { $until }). Прошийте новий config.h нижче.
rotate-done-revoke = ⛔ <b>{ $name }</b> має новий ключ, старий більше не діє. Доки плата не надішле сигнал з новим ключем, про відключення не повідомлятиму. Прошийте новий config.h нижче.
place-awaiting-key = ⏳ Чекаю на сигнал з новим ключем (старий вимкнено { $since }); про відключення поки не повідомляю.
place-old-key-until = 🔄 Старий ключ ще працює — до першого сигналу з новим, не довше ніж до { $until }.
delete-confirm = 🗑 Видалити <b>{ $name }</b>?
    { $events ->
        [0] Буде видалено місце (подій світла в нього ще немає)
        [one] Буде видалено місце і його { $events } подію світла
        [few] Буде видалено місце і всі його { $events } події світла
       *[other] Буде видалено місце і всі його { $events } подій світла
    }, а також діаграми; ключ перестане діяти. Це не можна скасувати.
btn-delete-yes = 🗑 Так, видалити
delete-done = 🗑 <b>{ $name }</b> видалено{ $events ->
        [0] {""}
        [one] {" "}разом з { $events } подією світла
       *[other] {" "}разом з { $events } подіями світла
    }.
post-language-title = 🌐 Якою мовою публікувати сповіщення й діаграми місця <b>{ $name }</b>?
post-language-set = 🌐 Публікації будуть { $language }.

events-title = 📜 <b>{ $name }</b>: останні події
events-none = Поки нічого: пристрій ще жодного разу не озвався.
events-line-open = { $emoji } { $what } з { $from } · уже { $duration }
events-line-closed = { $emoji } { $what } { $from }–{ $to } · { $duration }
events-zone = <i>Час — { $zone }.</i>
event-status-on = світло є
event-status-off = світла немає
event-status-unknown = невідомо

config-title = 📟 <b>Конфіг ESP32 для місця «{ $name }»</b>
config-body = Адреса сервера: <code>{ $url }</code>
    Ключ: <code>{ $key }</code>
    Сигнал кожні { $interval } с · тайм-аут { $timeout }
    Покладіть config.h нижче поруч із power_monitor.ino, впишіть назву й пароль своєї Wi-Fi і прошийте плату. Тримайте ключ у секреті: хто його має, може повідомляти про світло в цьому місці.
config-no-public-url = ℹ️ PUBLIC_URL не задано, тож замініть { $host } на адресу цього сервера.
config-caption = config.h для місця «{ $name }»

diagram-unavailable = 📊 Діаграми в цій збірці ще недоступні, тож нічого не надіслано.
diagram-sent = 📊 Діаграма місця <b>{ $name }</b> вже йде в канал.
diagram-failed = 📊 Не вдалося надіслати діаграму місця <b>{ $name }</b>: { $reason }
diagram-choose = 📊 Діаграму якого місця опублікувати зараз?
stats-choose = 📈 Статистику якого місця показати?
stats-period = 📈 <b>{ $name }</b>: за який час показати статистику?
btn-stats-7-days = 7 днів
btn-stats-30-days = 30 днів
btn-stats-this-month = Цей місяць
btn-stats-last-month = Минулий місяць
btn-stats-other-place = ⬅️ Інше місце
stats-unavailable = 📈 Статистика в цій збірці недоступна (немає рендерера картинок), тож нічого не надіслано.
stats-failed = 📈 Не вдалося підготувати статистику місця <b>{ $name }</b>. Спробуйте ще раз за хвилину; якщо не допоможе, причина — в журналі сервісу.
export-choose = 📄 Історію світла якого місця надіслати у CSV?
choose-empty = Місць ще немає.
export-caption = Історія світла місця <b>{ $name }</b>; час — { $zone }.
backup-caption = 💾 Знімок бази даних на { $time }. У ньому ключі пристроїв: не передавайте його нікому. Щоб відновити, зупиніть сервіс і покладіть цей файл за шляхом DATABASE_PATH.
backup-failed = 💾 Резервна копія не вдалася: { $reason }
backup-postgres = 💾 Цей сервіс зберігає дані в PostgreSQL (DATABASE_URL), тож файлу для надсилання немає. Робіть копію засобом самого PostgreSQL, наприклад <code>pg_dump --format=custom &quot;$DATABASE_URL&quot; &gt; monitor.dump</code> (відновлення: <code>pg_restore --clean -d &quot;$DATABASE_URL&quot; monitor.dump</code>), або знімками вашого провайдера (керований Postgres на fly.io робить їх щодня). У копії ключі пристроїв: не передавайте її нікому.

btn-cancel = ✖️ Скасувати
flow-cancelled = Скасовано; нічого не збережено.
flow-nothing-to-cancel = Немає чого скасовувати.
flow-left = Незавершений крок покинуто; нічого не збережено.
flow-busy = Спершу дайте відповідь на питання вище або натисніть «Скасувати» (/cancel).
flow-stale-button = Це питання вже закрите.
flow-send-text = Надішліть це текстом або /cancel.
flow-invalid = ⚠️ { $reason }

add-ask-name = ➕ <b>Нове місце</b> (крок 1 з { $steps })
    Надішліть його назву, наприклад «Дім» або «Дача».
add-ask-timeout = ⏱ <b>{ $name }</b> (крок 2 з { $steps })
    Через скільки часу без сигналу вважати, що світла немає? Оберіть або надішліть своє: секунди (90) чи хвилини (3m).
btn-minutes = { $n } хв
add-ask-channel = 📢 <b>{ $name }</b> (крок 3 з { $steps })
    Куди публікувати сповіщення? Канал: натисніть «Обрати канал», перешліть будь-який допис із каналу або надішліть його @username чи id (-100…); бот має бути там адміністратором із правами «Публікувати повідомлення» та «Редагувати чужі повідомлення». Група: «Обрати групу»; тема групи: надішліть посилання на неї. У групі бот має могти писати.
btn-pick-channel = 📢 Обрати канал
btn-skip-channel = Пропустити: типовий канал
btn-use-default-channel = Типовий канал
add-done = ✅ <b>{ $name }</b> додано, тайм-аут { $timeout }.
add-channel-linked = 📢 Сповіщення йтимуть у чат { $title }.
channel-default-used = 📢 Сповіщення йтимуть у типовий канал { $channel }.
channel-no-default = 📢 Типового каналу не задано (DEFAULT_CHANNEL_ID), тож сповіщення для цього місця нікуди не публікуватимуться, доки ви не під'єднаєте канал.
channel-hint = Натисніть «Обрати канал» чи «Обрати групу», перешліть допис із каналу або надішліть @username, id (-100…) чи посилання на тему групи.
channel-forward-not-channel = Це повідомлення переслано не з каналу. Перешліть допис із самого каналу, а групу оберіть кнопкою «Обрати групу».
channel-not-found = Я не бачу цього каналу. Спершу додайте бота в канал адміністратором, тоді спробуйте ще раз.
channel-not-channel = { $title } — не канал. Сповіщення можна публікувати лише в канал.
channel-bot-not-member = Бота немає в каналі { $title }. Додайте його в канал адміністратором із правами «Публікувати повідомлення» та «Редагувати чужі повідомлення».
channel-bot-not-admin = Бот є в каналі { $title }, але не адміністратор. Зробіть його адміністратором із правами «Публікувати повідомлення» та «Редагувати чужі повідомлення».
channel-rights-missing = Бот — адміністратор каналу { $title }, але йому бракує права { $missing }. Надайте його в налаштуваннях адміністраторів каналу й спробуйте ще раз.
channel-cannot-post = «Публікувати повідомлення» (потрібне для сповіщень)
channel-cannot-pin = «Редагувати чужі повідомлення» (потрібне, щоб закріплювати щоденну діаграму)
channel-unreachable = Telegram не відповів. Спробуйте ще раз за хвилину.
channel-ask = 📢 Канал для місця <b>{ $name }</b>. Зараз: { $current }
    Натисніть «Обрати канал» чи «Обрати групу», перешліть допис із каналу або надішліть @username, id (-100…) чи посилання на тему групи.
channel-linked = 📢 Сповіщення про місце <b>{ $name }</b> тепер ідуть у чат { $title }.

rename-ask = ✏️ Як тепер називатиметься місце <b>{ $name }</b>? Надішліть нову назву.
renamed = ✏️ Перейменовано на <b>{ $name }</b>.
timeout-ask = ⏱ Тайм-аут місця <b>{ $name }</b> — { $timeout }. Оберіть новий або надішліть свій: секунди (90) чи хвилини (3m).
timeout-set = ⏱ Тайм-аут місця <b>{ $name }</b> тепер { $timeout }. Пристрій має надсилати сигнал кожні { $interval } с: новий config.h — у «📟 Конфіг ESP32».

admins-title = 👥 <b>Адміністратори</b>
admins-line = • { $name } · id { $id } { $marks }
admins-owner-mark = 👑 OWNER_ID
admins-you-mark = (ви)
admins-hint = Натисніть ім'я, щоб прибрати адміністратора. Власника з OWNER_ID і останнього адміністратора прибрати не можна.
btn-add-admin = ➕ Додати адміністратора
btn-remove-admin = ➖ { $name }
admin-remove-confirm = Прибрати <b>{ $name }</b> з адміністраторів? Далі ця людина отримуватиме від бота лише ввічливу відмову.
btn-remove-yes = ➖ Так, прибрати
admin-remove-removed = ➖ { $name } більше не адміністратор.
admin-remove-owner = { $name } — власник (OWNER_ID), тут його не прибрати.
admin-remove-last = { $name } — останній адміністратор, тож прибрати його не можна: спершу додайте іншого.
admin-remove-absent = { $name } уже не адміністратор.
admin-add-ask = 👤 Хто стане адміністратором? Натисніть «Обрати людину», перешліть мені будь-яке повідомлення від неї або надішліть її числовий id у Telegram.
btn-pick-person = 👤 Обрати людину
admin-add-hidden = Налаштування приватності цієї людини приховують її в пересланих повідомленнях. Натисніть «Обрати людину» або надішліть її числовий id (його підкаже @userinfobot).
admin-add-not-id = Надішліть числовий id у Telegram (лише цифри), перешліть повідомлення від людини або натисніть «Обрати людину».
admin-add-bot = Бот не може бути адміністратором.
admin-added = ✅ { $name } тепер адміністратор. Хай відкриє цього бота й надішле /start.
admin-already = { $name } уже адміністратор.

ui-language-title = 🌐 Оберіть мову цього чату.
ui-language-set = 🌐 Тепер цей чат українською.

# Refusals of the place rules (src/locations/location-rules.ts)
location-error-name-empty = Назва порожня. Напишіть коротку назву, наприклад «Дім» або «Дача».
location-error-name-too-long = Назва задовга ({ $length } символів); не більше { $max }.
location-error-name-control = У назві є керівні символи; напишіть звичайний текст.
location-error-timeout-unreadable = «{ $input }» — це не тайм-аут. Надішліть секунди (наприклад, 90) або хвилини з «m» (наприклад, 5m), від { $min } с до 24 год.
location-error-timeout-range = Тайм-аут «{ $input }» поза межами: можна від { $min } с до 24 год. Коротший дає хибні сповіщення при повільному Wi-Fi, довший повідомляє про відключення запізно.
location-error-channel-invalid = Це не канал. Надішліть його @username (наприклад, @home_power) або числовий id (наприклад, -1001234567890).
location-error-language-invalid = Мова має бути однією з: { $choices }.
location-error-place-missing = Такого місця немає (можливо, його вже видалили).
location-error-no-channel = У місця «{ $name }» немає каналу для діаграми. Спершу прив'яжіть канал (або задайте DEFAULT_CHANNEL_ID).

# ── Reports (issue 14): weekly summaries, monthly reports, /stats ───────────────────────────
# Durations, days and shares arrive formatted; { $place } is already escaped for HTML.
# The picture texts (report-picture-*, report-legend-*) are drawn on the PNG, not sent as HTML.
report-weekly-title = 📊 <b>Тиждень { $range }</b> · { $place }
report-monthly-title = 📅 <b>{ $month }</b> · { $place }
report-stats-title = 📊 <b>{ $range }</b> · { $place }
report-no-data = Даних за цей час немає: монітор не отримував сигналів від пристрою.
report-no-outages = 🟢 Відключень не було.
report-off-total = 🔴 Без світла: { $duration } · { $outages ->
        [one] { $outages } відключення
        [few] { $outages } відключення
       *[many] { $outages } відключень
    }
report-longest = ⏱ Найдовше: { $duration } ({ $day }, з { $time })
report-worst-day = 📆 Найважчий день: { $day } — { $duration } без світла
report-power-share = 💡 Світло було { NUMBER($share, maximumFractionDigits: 1) }% часу
report-unknown = ❔ Без даних: { $duration } — цей час не враховано.
report-plan = 🗓 За графіком: { $planned }{ $possible ->
        [none] {""}
       *[other] , можливо ще { $possible }
    } · насправді: { $actual }
report-plan-outside = ⚠️ Поза графіком: { $duration }
report-compare-week = { $direction ->
        [less] 📉 Без світла на { $delta } менше, ніж минулого тижня (тоді { $previous })
        [more] 📈 Без світла на { $delta } більше, ніж минулого тижня (тоді { $previous })
       *[same] ↔️ Без світла стільки ж, як минулого тижня
    }
report-compare-week-partial = ⚖️ Минулого тижня світло було { NUMBER($share, maximumFractionDigits: 1) }% часу (години не порівняти: дані неповні)
report-compare-month = { $direction ->
        [less] 📉 Без світла на { $delta } менше, ніж минулого місяця (тоді { $previous })
        [more] 📈 Без світла на { $delta } більше, ніж минулого місяця (тоді { $previous })
       *[same] ↔️ Без світла стільки ж, як минулого місяця
    }
report-compare-month-partial = ⚖️ Минулого місяця світло було { NUMBER($share, maximumFractionDigits: 1) }% часу (години не порівняти: дані неповні)
report-picture-title = { $place } · { $period }
report-picture-totals = Без світла: { $duration } · відключень: { $outages } · найдовше: { $longest }
report-picture-share = Світло було { NUMBER($share, maximumFractionDigits: 1) }% часу
report-picture-unknown = без даних: { $duration }
report-picture-no-outages = Відключень не було
report-picture-no-data = Даних немає
report-legend-on = Світло є
report-legend-off = Світла немає
report-legend-unknown = Немає даних
report-legend-future = Ще попереду
report-day = { $weekday }, { $date }
report-weekday = { $weekday ->
        [1] пн
        [2] вт
        [3] ср
        [4] чт
        [5] пт
        [6] сб
       *[7] нд
    }
report-date = { $day } { $month ->
        [1] січня
        [2] лютого
        [3] березня
        [4] квітня
        [5] травня
        [6] червня
        [7] липня
        [8] серпня
        [9] вересня
        [10] жовтня
        [11] листопада
       *[12] грудня
    }
report-month-name = { $month ->
        [1] Січень
        [2] Лютий
        [3] Березень
        [4] Квітень
        [5] Травень
        [6] Червень
        [7] Липень
        [8] Серпень
        [9] Вересень
        [10] Жовтень
        [11] Листопад
       *[12] Грудень
    } { $year }
# ---------------------------------------------------------------------------------------------
# Outage schedules (src/schedules/plan-text.ts). Every key in this block starts with plan-.
plan-queue = черга { $queue }
plan-possible-mark = (можливе)
plan-off-planned = 📅 За графіком, до ~{ $until } ({ $queue })
plan-off-planned-open = 📅 За графіком ({ $queue })
plan-off-possible = 📅 Можливе за графіком, до ~{ $until } ({ $queue })
plan-off-possible-open = 📅 Можливе за графіком ({ $queue })
plan-off-unplanned = ⚠️ Поза графіком ({ $queue })
plan-on-later = 📅 На { $delta } пізніше { $kind ->
        [possible] можливого відключення
       *[planned] графіка
    } (до { $until })
plan-on-earlier = 📅 На { $delta } раніше { $kind ->
        [possible] можливого відключення
       *[planned] графіка
    } (до { $until })
plan-on-on-time = 📅 Вчасно, { $kind ->
        [possible] як і можливе відключення
       *[planned] як за графіком
    } (до { $until })
plan-on-next = ⏭ Наступне: { $interval }{ $kind ->
        [possible] {" "}(можливе)
       *[planned] {""}
    }
plan-on-next-tomorrow = ⏭ Наступне: завтра { $interval }{ $kind ->
        [possible] {" "}(можливе)
       *[planned] {""}
    }
plan-on-none-today = ⏭ Сьогодні за графіком більше не вимикатимуть
plan-on-none = ⏭ До кінця завтра відключень за графіком немає
plan-warning = ⏰ О { $start } за графіком вимкнуть світло ({ $queue }), до ~{ $end }
    📍 { $place }
plan-warning-open = ⏰ О { $start } за графіком вимкнуть світло ({ $queue })
    📍 { $place }
plan-changed = 📅 Графік на { $day ->
        [today] сьогодні
       *[tomorrow] завтра
    } змінився: { $changes }
    📍 { $place } · { $queue }
plan-tomorrow = 📅 Графік на завтра ({ $queue }): { $intervals }
    📍 { $place }
plan-tomorrow-none = 📅 Завтра відключень за графіком немає ({ $queue })
    📍 { $place }
plan-skipped = 📅 { $interval } за графіком, але світло було
plan-health-ok = 📅 Графік: { $source }, { $queue } · оновлено { $age } тому
plan-health-unknown = 📅 Графік: { $source }, { $queue } — у дописах не показую: { $reason }
plan-health-age = Дані оновлено { $age } тому.
plan-health-error = Невдалих спроб поспіль: { $failures }; остання помилка: { $error }
plan-reason-never-fetched = джерело ще не прочитане
plan-reason-fetch-failing = джерело не відповідає
plan-reason-source-stale = джерело давно не оновлювалося
plan-reason-queue-missing = у джерелі немає черги «{ $queue }»
plan-reason-day-missing = у джерелі немає графіка на сьогодні
plan-reason-waiting = постачальник ще не оприлюднив графік
plan-reason-emergency = діють аварійні відключення, графік не застосовується
plan-reason-unreadable = джерело надіслало дані, які не вдалося прочитати
plan-error-unknown-source = Джерела графіків «{ $source }» немає. Відомі: { $known }.
plan-error-unknown-queue = У джерелі «{ $source }» немає черги «{ $queue }». Його черги: { $known }.
plan-error-no-copy = Джерело «{ $source }» ще не прочитане, тож його черги невідомі. Спробуйте за хвилину.
plan-error-warn-minutes = Попереджати можна за { $choices } хв (0 вимикає попередження).
# ---------------------------------------------------------------------------------------------
# People around a place (issue 13, src/people/*): subscribers, invite links, quiet hours, snooze,
# groups and topics. Every key in this block starts with people-. { $place } and { $name } arrive
# escaped for HTML (people-invite-share-text is plain text: it travels in a share URL).
people-refused = Ця дія доступна лише адміністраторам.
people-stranger = Цей бот надсилає сповіщення про світло лише тим, кого запросили. Попросіть посилання-запрошення в того, хто стежить за місцем.
people-welcome-back = 👋 З поверненням! Сповіщення знову надходитимуть сюди.

people-join-subscribed = 🔔 Готово: сповіщення про світло в місці «{ $place }» тепер надходитимуть сюди.
    Зараз: { $quiet } (змінити — /settings).
people-join-already = 🔔 Ви вже отримуєте сповіщення про місце «{ $place }».
people-join-renewed = 🔗 Посилання на місце «{ $place }» уже замінили новим, тож це більше не діє. Попросіть свіже в того, хто вам його надіслав.
people-join-expired = ⌛ Посилання на місце «{ $place }» більше не діє: його час минув. Попросіть нове в того, хто вам його надіслав.
people-join-unknown = 🔗 Я не знаю такого посилання. Можливо, його скопіювали не повністю або місця вже немає. Попросіть нове посилання.

people-btn-invite = 🔗 Запросити
people-invite-title = 🔗 <b>Запрошення до місця «{ $place }»</b>
    Кожен, хто відкриє це посилання, отримуватиме сповіщення про світло в цьому місці в особистому чаті з ботом, але не бачитиме налаштувань і ключів.
    { $link }
people-invite-share-text = Сповіщення про світло в місці «{ $place }»
people-btn-share = 📤 Поділитися
people-btn-renew-link = 🔄 Нове посилання
people-invite-renewed = 🔄 Посилання оновлено: старе більше не діє. Ті, хто вже підписався, нічого не втрачають.

people-btn-subscribers = 👥 Підписники
people-subscribers-title = 👥 <b>Підписники місця «{ $place }»</b> · { $count }
people-subscribers-none = Підписників ще немає. Надішліть комусь посилання-запрошення.
people-subscriber-line = • { $name } · з { $since }{ $inactive ->
        [yes] {" "}· 🚫 бота заблоковано
       *[no] {""}
    }
people-btn-remove-subscriber = ➖ { $name }
people-subscriber-remove-confirm = Прибрати <b>{ $name }</b> з підписників місця «{ $place }»? Сповіщення про це місце більше не надходитимуть.
people-btn-remove-subscriber-yes = ➖ Так, прибрати
people-subscriber-removed = ➖ { $name } більше не отримує сповіщень про місце «{ $place }».

people-places-title = 🔔 <b>Ваші місця</b>
people-btn-leave = 🚪 Відписатися
people-leave-confirm = Більше не отримувати сповіщень про місце «{ $place }»? Повернутися можна буде лише за новим запрошенням.
people-btn-leave-yes = 🚪 Так, відписатися
people-left = 🚪 Ви відписалися від місця «{ $place }».

people-settings-title = ⚙️ <b>Ваші налаштування</b>
people-quiet-off = 🔔 тихі години вимкнено
people-quiet-window = 🌙 тихі години { $window }
people-quiet-ask = 🌙 Коли надсилати сповіщення без звуку? Надішліть проміжок, наприклад 23:00-07:00, або «вимк», щоб звук був завжди. Зараз: { $current }.
people-quiet-set = Тепер: { $current }. { $on ->
        [yes] У цей час сповіщення приходять, але без звуку.
       *[no] Сповіщення завжди приходять зі звуком.
    }
people-quiet-error-format = Не вдалося прочитати час. Надішліть проміжок, наприклад 23:00-07:00 або 22-6, чи «вимк».
people-quiet-error-same = Початок і кінець збігаються. Оберіть проміжок, наприклад 23:00-07:00.
people-choices-title = Що надсилати про місце «{ $place }»:
people-choice-alerts = { $on ->
        [yes] ✅
       *[no] ⬜
    } Відключення й повернення світла
people-choice-plan-warnings = { $on ->
        [yes] ✅
       *[no] ⬜
    } Попередження про відключення за графіком
people-choice-weekly = { $on ->
        [yes] ✅
       *[no] ⬜
    } Підсумок тижня

people-btn-snooze = 🔕 Не сповіщати { $hours } год
people-btn-snooze-end = 🔔 Сповіщати знову
people-snoozed = 🔕 «{ $place }»: сповіщення вимкнено до { $until }. Зміни й далі записуються й видно на діаграмі; коли час мине, прийде один допис про все, що сталося.
people-place-snoozed = 🔕 Сповіщення вимкнено до { $until }
people-snooze-resumed = 🔔 «{ $place }»: сповіщення знову увімкнено.
people-snooze-summary-one = 🔕 <b>Поки адміністратор притримував сповіщення</b>: { $change }
    📍 { $place }
    Зараз: { $now }
people-snooze-summary = 🔕 <b>Поки адміністратор притримував сповіщення</b>
    📍 { $place }
    { $changes }
    Зараз: { $now }
people-snooze-outage = 🔴 { $from }–🟢 { $to }, не було { $duration }
people-snooze-off = 🔴 { $time } світло зникло
people-snooze-off-between = 🔴 світло зникло між { $from } і { $to }
people-snooze-on = 🟢 { $time } світло з'явилося, не було { $duration }
people-snooze-short = 🟡 { $from }–{ $to } коротке відключення
people-snooze-earlier = … і ще { $count } раніше
people-snooze-now-on = 🟢 світло є з { $since }
people-snooze-now-off = 🔴 світла немає з { $since }

people-destination-group = 👥 Група { $title }
people-destination-topic = 🧵 Тема «{ $topic }» у групі { $title }
people-destination-quiet = 🌙 Без звуку { $window }
people-btn-pick-group = 👥 Обрати групу
people-btn-topic-general = Загальна тема
people-topic-ask = 🧵 У групі { $title } є теми. Надішліть посилання на тему, куди йтимуть сповіщення (у темі: ⋯ → «Копіювати посилання»), або натисніть «Загальна тема».
people-topic-hint = Надішліть посилання на тему (https://t.me/c/…/…) або натисніть «Загальна тема».
people-topic-not-found = У групі { $title } немає такої теми. Перевірте посилання: у темі ⋯ → «Копіювати посилання».
people-chat-not-group-or-channel = { $title } — не канал і не група. Сповіщення можна публікувати в канал, групу або тему групи.
people-group-bot-not-member = Бота немає в групі { $title }. Додайте його туди, тоді спробуйте ще раз.
people-group-cannot-send = Бот у групі { $title } не може писати. Дозвольте йому надсилати повідомлення (або зробіть адміністратором) і спробуйте ще раз.
people-chat-quiet-ask = 🌙 Тихі години чату { $chat } для місця <b>{ $name }</b>: зараз { $current }.
    Надішліть проміжок, наприклад 22:00-08:00: дописи в цей час приходитимуть без звуку. «вимк» вимикає тихі години.
people-chat-quiet-set = 🌙 <b>{ $name }</b>: { $current }.
people-chat-quiet-no-chat = У місця <b>{ $name }</b> немає чату для дописів: спершу під'єднайте канал або групу.
people-btn-chat-quiet = 🌙 Тихі години чату
people-btn-snooze-menu = 🔕 Не сповіщати…
people-snooze-ask = 🔕 На скільки вимкнути сповіщення про місце «{ $place }»? Зміни й далі записуватимуться й будуть на діаграмі; коли час мине, прийде один допис про все, що сталося. Це не пауза: спостереження триває.
people-place-subscribers = 👥 Підписників: { $count }

people-home-place = <b>{ $place }</b>
    { $status }
people-home-hint = Натисніть на місце, щоб побачити діаграму, графік і вибрати, що надсилати.
people-home-none = Ви не отримуєте сповіщень про жодне місце. Щоб отримувати їх знову, відкрийте посилання-запрошення — попросіть його в того, хто стежить за місцем.
people-btn-settings = ⚙️ Налаштування
people-btn-my-places = ⬅️ Мої місця
people-btn-diagram = 🖼 Діаграма
people-btn-stats = 📈 Статистика
people-diagram-unavailable = 🖼 Діаграма в цій збірці недоступна.
people-diagram-failed = 🖼 Не вдалося намалювати діаграму місця «{ $place }». Спробуйте ще раз за хвилину.
people-settings-language = 🗣 Мова: { $language }
people-settings-hint = У тихі години сповіщення приходять без звуку. Свій проміжок можна просто надіслати повідомленням, наприклад 22:30-06:30.
people-btn-quiet = 🌙 { $window }
people-btn-quiet-custom = ✏️ Інший час
people-btn-quiet-off = 🔔 Завжди зі звуком
people-language-set = 🗣 Тепер українською.
people-help = <b>Сповіщення про світло</b>
    Сюди приходять сповіщення про місця, до яких вас запросили.
    /start — ваші місця: стан, діаграма, графік і що надсилати
    /settings — мова й тихі години
    /stats — статистика за тиждень чи місяць
    Тихі години можна просто надіслати повідомленням, наприклад 23:00-07:00.
people-not-understood = Не зрозумів. /start — ваші місця, /settings — налаштування. Тихі години надішліть так: 23:00-07:00.
people-place-gone = Ви більше не стежите за цим місцем. /start — ваші місця.
people-button-stale = Ця кнопка вже не діє. /start — ваші місця.
# Outage schedule of a place in the admin chat (src/bot/features/menus/schedule-menu.ts, flows/schedule-step.ts, views/schedule-text.ts).
btn-schedule = 📅 Графік відключень
place-schedule-none = 📅 Графік відключень не вибрано
place-schedule-gone = 📅 Графік: джерела «{ $source }» більше немає в налаштуваннях (SCHEDULE_SOURCES), тож план не показую. Виберіть інше.
place-schedule-day = { $day ->
        [today] Сьогодні
       *[tomorrow] Завтра
    }: { $intervals }
place-schedule-day-none = { $day ->
        [today] Сьогодні
       *[tomorrow] Завтра
    } відключень за графіком немає
place-schedule-tomorrow-unknown = Завтра: графіка ще немає
place-schedule-tomorrow-emergency = Завтра: аварійні відключення, графік не діє
plan-menu-title = 📅 <b>{ $name }</b>: графік відключень
plan-menu-hint = Виберіть регіон, а потім свою чергу: сповіщення скажуть, чи відключення за графіком і коли наступне. Чергу видно на сайті чи в застосунку вашого постачальника (ДТЕК, Yasno, обленерго).
plan-menu-warn = ⏰ Попередження перед відключенням: { $minutes ->
        [0] не надсилати
       *[other] за { $minutes } хв
    }
plan-menu-tomorrow = 🗓 Графік на завтра, щойно з'явиться: { $on ->
        [yes] публікувати
       *[no] не публікувати
    }
plan-menu-pick-source = 📅 <b>{ $name }</b>: виберіть регіон
plan-menu-pick-queue = 📅 <b>{ $name }</b> · { $source }: виберіть чергу
plan-menu-page = Сторінка { $page } з { $pages }
btn-plan-pick = 🗺 Вибрати регіон і чергу
btn-plan-change = 🗺 Змінити регіон чи чергу
btn-plan-none = 🚫 Не стежити за графіком
btn-plan-warn = { $minutes ->
        [0] 🔕 Не попереджати
       *[other] ⏰ За { $minutes } хв
    }
btn-plan-tomorrow = { $on ->
        [yes] ☑️
       *[no] ⬜
    } Публікувати графік на завтра
btn-plan-other-source = ⬅️ Інший регіон
plan-attached = ✅ <b>{ $name }</b> тепер за графіком: { $source }, { $queue }.
plan-detached = Графік від'єднано: сповіщення про місце <b>{ $name }</b> більше не звірятимуться з ним.
plan-warn-set = { $minutes ->
        [0] 🔕 Попереджень не буде.
       *[other] ⏰ Попереджатиму за { $minutes } хв до відключення за графіком.
    }
plan-tomorrow-set = { $on ->
        [yes] 🗓 Графік на завтра публікуватиму, щойно він з'явиться.
       *[no] 🗓 Графік на завтра окремо не публікуватиму.
    }
plan-source-pending = ⏳ Читаю джерело «{ $source }»… Натисніть його ще раз за хвилину.
plan-source-unavailable = ⚠️ Не вдалося прочитати «{ $source }»: { $error }. Спробуйте пізніше або виберіть інше джерело.
plan-source-no-queues = ⚠️ У джерелі «{ $source }» зараз немає жодної черги.
add-ask-schedule = 📅 <b>{ $name }</b> (крок 4 з 4, за бажанням): графік відключень
    Якщо тут світло вимикають за графіком, виберіть регіон, а потім чергу: сповіщення скажуть, чи відключення за графіком і коли наступне. Це можна зробити й пізніше: меню місця → «📅 Графік відключень».
add-schedule-pick-source = Виберіть регіон:
add-schedule-pick-queue = { $source }: виберіть чергу
add-schedule-hint = Натисніть кнопку під повідомленням: регіон, черга або «Без графіка».
btn-skip-schedule = ⏭ Без графіка
add-schedule-skipped = 📅 Без графіка.
add-schedule-chosen = 📅 { $source }, { $queue }.
add-schedule-set = 📅 Графік: { $source }, { $queue }.
add-schedule-failed = ⚠️ Графік не вибрано: { $reason } Його можна вибрати в меню місця → «📅 Графік відключень».

# ── The status line of the pinned diagram and the place's reports (issue 14) ──────────────
# The first line of the pinned daily diagram's caption: the state now and since when.
diagram-status-on = <b>🟢 Світло є з { $since }</b>
diagram-status-off = <b>🔴 Світла немає з { $since }</b>
diagram-status-unknown = <b>⚪ Стан невідомий з { $since }</b>
diagram-status-unknown-new = <b>⚪ Чекаємо на перший сигнал пристрою</b>
diagram-status-paused = <b>⏸ Стеження призупинене з { $since }</b>
diagram-status-paused-now = <b>⏸ Стеження призупинене</b>
# $since for a moment before today: "22:10 учора", "18 листопада, 14:02".
diagram-status-since-yesterday = { $time } учора
diagram-status-since-date = { $date }, { $time }
btn-reports = 📊 Звіти
reports-menu-title = 📊 <b>{ $name }</b>: звіти в каналі
    Щопонеділка о 09:00 — підсумок тижня: години без світла, кількість відключень, найдовше, частка часу зі світлом і порівняння з попереднім тижнем.
    Першого числа о 09:00 — картинка місяця з підсумками.
btn-report-weekly = { $on ->
        [yes] ☑️
       *[no] ⬜
    } Підсумок тижня
btn-report-monthly = { $on ->
        [yes] ☑️
       *[no] ⬜
    } Звіт за місяць
reports-weekly-set = { $on ->
        [yes] 📊 Підсумок тижня виходитиме щопонеділка о 09:00.
       *[no] 📊 Підсумку тижня в каналі більше не буде.
    }
reports-monthly-set = { $on ->
        [yes] 📅 Звіт за місяць виходитиме першого числа о 09:00.
       *[no] 📅 Звіту за місяць у каналі більше не буде.
    }

## Device recipes ("Connect a device")
recipes-btn-connect = 🔌 Підключити пристрій
recipes-title = 🔌 <b>{ $name }</b>: підключити пристрій
    Оберіть, що у вас є, — бот надішле готовий рецепт з адресою сервера й ключем цього місця, нічого не треба виправляти.
    Плати, реле й роутери шлють сигнал постійно; телефони й ДБЖ повідомляють про зникнення і появу мережі.
    <i>Сторінка { $page } з { $pages }</i>
recipes-btn-previous = ◀️ Попередні
recipes-btn-next = Ще ▶️
## Post limits: a long pile of alerts folded into one line; admin notices of many places in one message
alert-pile-earlier = ⚡ { $count } { $count ->
        [one] відключення
        [few] відключення
       *[many] відключень
    } з { $from } до { $to }, разом { $duration } без світла
alert-pile-earlier-short = ⚡ { $count } { $count ->
        [one] коротке відключення
        [few] короткі відключення
       *[many] коротких відключень
    } з { $from } до { $to }, разом { $duration } без світла
alert-change-short-at = 🟡 { $time } коротке відключення
notice-more-earlier = … і ще { $count } таких повідомлень раніше
## Storage faults (issue 20): the database is locked or the disk is full while a person writes to the bot.
storage-try-again = ⏳ Сервер зараз не може зберегти зміни: його база даних тимчасово недоступна для запису. Спробуйте ще раз за хвилину.
## Schedule insights (issue 23): the queue from the record, emergency cuts, sources
queue-hint-suggest = 🔎 <b>{ $place }</b> ({ $source }): схоже, ваша черга — { $queue }: збіг { $matched } з { $outages } { $outages ->
        [one] відключення
        [few] відключень
       *[many] відключень
    } за { $days } { $days ->
        [one] день
        [few] дні
       *[many] днів
    }. Підписатися на неї?
queue-hint-none = 🔎 <b>{ $place }</b> ({ $source }): жодна черга не збігається з відключеннями за { $days } { $days ->
        [one] день
        [few] дні
       *[many] днів
    } (найкраща — лише { $matched } з { $outages }). Можливо, адреса в іншому регіоні або світло вимикають не за графіком.
queue-hint-better = 🔎 <b>{ $place }</b> ({ $source }): відключення не збігаються з чергою { $current } (лише { $currentMatched } з { $outages }), а з чергою { $queue } — { $matched } з { $outages } за { $days } { $days ->
        [one] день
        [few] дні
       *[many] днів
    }. Можливо, черги переформували. Перейти на { $queue }?
queue-hint-button = Підписатися на чергу { $queue }
queue-hint-done = ✅ { $place }: тепер черга { $queue }.
queue-hint-failed = Не вдалося: { $error }
plan-emergency-line = ⚠️ Екстрені відключення: графік зараз не діє
plan-emergency-on = ⚠️ Екстрені відключення в регіоні: графік зараз не діє ({ $place }, { $queue })
plan-emergency-off = ✅ Екстрені відключення скасовано: знову діє графік ({ $place }, { $queue })
place-schedule-probable = 🔮 Ймовірно, за тижневим графіком (не опубліковано):
place-schedule-probable-day = { $date }: { $intervals }
place-schedule-probable-day-none = { $date }: без ймовірних відключень
btn-schedule-sources = 📅 Джерела графіків
sources-title = 📅 <b>Джерела графіків</b>
sources-none = Жодне місце ще не стежить за графіком.
sources-name = <b>{ $name }</b> · { $id }
sources-no-copy = Доброї копії ще немає.
sources-copy = Остання добра копія: дані на { $copy } ({ $age } тому), прочитано { $fetched } тому
sources-usable = ✅ У дописах використовується
sources-unusable = ⚠️ У дописах не використовується: { $reason }
sources-counts = Збоїв за добу: { $failures } · місць: { $places }
sources-last-error = Невдалих спроб поспіль: { $failures }; остання помилка: { $error }
btn-plan-queue-unknown = ❓ Не знаю черги — визначити за відключеннями
plan-region-set = 📍 <b>{ $name }</b>: регіон { $source }, черга поки невідома. Коли будуть відключення щонайменше за 3 дні, порівняю їх з усіма чергами й підкажу, яка збігається.
plan-region-only = 📍 Регіон: { $source }; черга визначиться за відключеннями.
## Devices of a place (issue 21)
alert-confirmed-off = 🔋 підтверджено пристроєм на батареї
alert-confirmed-on = 🔌 підтверджено пристроєм, що бачить мережу
notice-device-online = ✅ «{ $device }» ({ $place }) на зв'язку, { $time }
notice-device-silent = 📡 «{ $device }» ({ $place }) мовчить { $duration }, але світло є — за «{ $prover }»
notice-device-back = 📡 «{ $device }» ({ $place }) знову на зв'язку, { $time }
location-error-device-missing = Такого пристрою немає (можливо, його вже видалили).
location-error-device-name-taken = У цього місця вже є пристрій «{ $name }»; оберіть іншу назву.
location-error-device-last = «{ $name }» — єдиний пристрій цього місця: без нього за місцем нікому стежити. Спершу додайте інший (або змініть ключ, якщо він витік), чи видаліть саме місце.
btn-devices = 📟 Пристрої
btn-device-add = ➕ Додати пристрій
btn-device-key = 🔗 Ключ і адреси
btn-device-rename = ✏️ Перейменувати
btn-device-remove = 🗑 Прибрати
btn-device-remove-yes = 🗑 Так, прибрати
devices-title = 📟 <b>{ $name }</b>: пристрої ({ $count })
devices-hint = Світло є, доки його підтверджує хоч один пристрій. Пристрій на батареї, що бачить зникнення мережі, підтверджує відключення одразу. Натисніть на пристрій, щоб змінити його.
device-title = 📟 <b>{ $name }</b> · місце «{ $place }»
device-line = 📟 <b>{ $name }</b>: { $facts }
device-never = ще не виходив на зв'язок
device-seen = на зв'язку { $time } ({ $ago } тому)
device-silent = ⚠️ мовчить з { $time } ({ $ago })
device-awaiting-key = чекаємо на сигнал з новим ключем (з { $since })
device-link-wifi = Wi-Fi
device-link-mobile = мобільний інтернет
device-link-ethernet = кабель
device-mains-on = 🔌 бачить мережу з { $since }
device-mains-off = 🔋 на батареї з { $since }
device-rssi = сигнал { $rssi } дБм
device-key = 🔑 <b>{ $name }</b> · місце «{ $place }»
    Ключ: <code>{ $key }</code>
    Сигнали (heartbeat): <code>{ $heartbeat }</code>
    Події «мережа є / немає»: <code>{ $event }</code>
    Наприклад: <code>{ $example }</code>
device-add-ask = Як назвати новий пристрій для «{ $place }»? Наприклад: «Телефон», «Shelly», «Роутер».
device-added = ✅ Пристрій <b>{ $name }</b> додано. Щойно він вийде на зв'язок, я напишу.
device-rename-ask = Нова назва для <b>{ $name }</b>?
device-renamed = ✏️ Тепер пристрій називається <b>{ $name }</b>.
device-rotate-confirm = 🔑 Новий ключ для <b>{ $name }</b>. Що робити зі старим?
device-rotate-done-keep = 🔑 <b>{ $name }</b> має новий ключ. Старий працюватиме, доки пристрій не надішле сигнал з новим (до { $until }).
device-rotate-done-revoke = ⛔ <b>{ $name }</b> має новий ключ, старий більше не діє. Впишіть новий ключ у пристрій.
device-remove-confirm = 🗑 Прибрати пристрій <b>{ $name }</b> (місце «{ $place }»)? Його ключ одразу перестане діяти; історія місця лишиться.
device-removed = 🗑 Пристрій <b>{ $name }</b> прибрано, його ключ більше не діє.
device-gone = Такого пристрою вже немає.
diagram-legend-confirmed = підтверджено пристроєм
## Paged lists and search (places, subscribers, "which place?")
list-page = Сторінка { $page } з { $pages }
list-search-found = { $count ->
        [0] 🔎 За запитом «{ $query }» нічого не знайдено.
       *[other] 🔎 Пошук «{ $query }»: знайдено { $count }
    }
btn-list-search = 🔎 Пошук
btn-list-search-again = 🔎 Шукати інше
btn-list-search-clear = ✖️ Показати всі
list-search-ask-places = 🔎 Надішліть частину назви місця — покажу лише ті, у назві яких вона є.
list-search-ask-people = 🔎 Надішліть частину імені — покажу лише тих, у кого вона є.
list-search-empty = Надішліть хоча б одну літеру назви.

## Words (issue 22): a language named on its own, and an old button of someone who left
language-title-uk = українська
language-title-en = англійська
stale-subscription-button = Ви більше не стежите за цим місцем.

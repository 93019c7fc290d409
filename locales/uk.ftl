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
alert-power-on-uptime-note = ℹ️ Час повернення — за лічильником пристрою після перезавантаження.
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

# Private notices to admins
notice-alerting-failed = ⚠️ <b>Не вдається надсилати сповіщення</b> для «{ $place }» у { $channel }.
    Причина: { $reason }
    Перевірте, що бот — адміністратор каналу з правом публікувати повідомлення. Попередження зникне після першого вдалого надсилання.
notice-delivery-delayed = ⏳ <b>Сповіщення затримуються</b> для «{ $place }» у { $channel }: Telegram не приймає їх уже { $minutes } хв.
    Причина: { $reason }
    Спроби тривають. Щойно вийде, у канал піде одне повідомлення про все, що сталося, і попередження зникне.

# Admin chat
not-admin = Вибачте, цей бот керує моніторингом світла лише для своїх адміністраторів.
setup-claimed = ✅ <b>Тепер ви адміністратор цього бота.</b> Код налаштування більше не діє; інших адміністраторів можна додати в «👥 Адміністратори».
help = <b>Монітор світла</b>
    У кожному місці стоїть плата ESP32, яка кожні кілька секунд надсилає сигнал. Якщо сигналів немає довше за тайм-аут місця, світла немає, і в канал місця йде сповіщення.
    /locations — місця, їхній стан і налаштування
    /add — додати місце (назва → тайм-аут → канал)
    /diagram — опублікувати тижневу діаграму місця зараз
    /export — історія світла місця у CSV
    /backup — знімок бази даних
    /admins — хто може керувати ботом
    /language — мова цього чату
    /cancel — вийти з поточного кроку
cmd-locations = Місця та їхній стан
cmd-add = Додати місце
cmd-diagram = Опублікувати діаграму зараз
cmd-export = Історія світла у CSV
cmd-backup = Резервна копія бази
cmd-admins = Адміністратори
cmd-language = Мова цього чату
cmd-help = Довідка
cmd-cancel = Скасувати поточний крок
unknown-input = Я не зрозумів. /locations відкриває меню, /help — що я вмію.
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
place-timeout = ⏱ Тайм-аут { $timeout } с · пристрій надсилає сигнал кожні { $interval } с
place-channel = 📢 Канал { $channel }
place-channel-default = 📢 Типовий канал { $channel }
place-channel-none = 📢 Каналу немає: сповіщення нікуди не публікуються
place-language = 🌐 Публікації { $language }
place-alerting-failed = ⚠️ Сповіщення не надсилаються: { $reason }
place-paused-now = ⏸ На паузі. Сигнали й далі записуються; нічого не публікується, доки не відновите.
place-resumed = ▶️ Відновлено. Наступний сигнал знову запускає спостереження.
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

rotate-confirm = 🔑 Створити новий ключ для <b>{ $name }</b>?
    Поточний ключ одразу перестане діяти: пристрій нічого не повідомлятиме, доки не отримає новий config.h.
btn-rotate-yes = 🔑 Так, новий ключ
rotate-done = 🔑 <b>{ $name }</b> має новий ключ. Старий більше не діє: прошийте новий config.h нижче.
delete-confirm = 🗑 Видалити <b>{ $name }</b>?
    Буде видалено місце, його подій світла: { $events } (уся історія) і діаграми; ключ перестане діяти. Це не можна скасувати.
btn-delete-yes = 🗑 Так, видалити
delete-done = 🗑 Видалено <b>{ $name }</b> і його події світла ({ $events }).
post-language-title = 🌐 Якою мовою публікувати сповіщення й діаграми для <b>{ $name }</b>?
post-language-set = 🌐 Публікації будуть { $language }.

events-title = 📜 <b>{ $name }</b>: останні події
events-none = Поки нічого: пристрій ще не озивався.
events-line-open = { $emoji } { $what } з { $from } · уже { $duration }
events-line-closed = { $emoji } { $what } { $from }–{ $to } · { $duration }
events-zone = <i>Час — { $zone }.</i>
event-status-on = світло є
event-status-off = світла немає
event-status-unknown = невідомо

config-title = 📟 <b>Конфіг ESP32 для { $name }</b>
config-body = Адреса сервера: <code>{ $url }</code>
    Ключ: <code>{ $key }</code>
    Сигнал кожні { $interval } с · тайм-аут { $timeout } с
    Покладіть config.h нижче поруч із power_monitor.ino, впишіть назву й пароль своєї Wi-Fi і прошийте плату. Тримайте ключ у секреті: хто його має, може повідомляти про світло в цьому місці.
config-no-public-url = ℹ️ PUBLIC_URL не задано, тож замініть { $host } на адресу цього сервера.
config-caption = config.h для { $name }

diagram-unavailable = 📊 Діаграми в цій збірці ще недоступні, тож нічого не надіслано.
diagram-sent = 📊 Діаграма для <b>{ $name }</b> вже йде в канал.
diagram-failed = 📊 Не вдалося надіслати діаграму для <b>{ $name }</b>: { $reason }
diagram-choose = 📊 Діаграму якого місця опублікувати зараз?
export-choose = 📄 Історію світла якого місця надіслати у CSV?
choose-empty = Місць ще немає.
export-caption = Історія світла <b>{ $name }</b>; час — { $zone }.
backup-caption = 💾 Знімок бази даних на { $time }. У ньому ключі пристроїв: не передавайте його нікому. Щоб відновити, зупиніть сервіс і покладіть цей файл за шляхом DATABASE_PATH.
backup-failed = 💾 Резервна копія не вдалася: { $reason }

btn-cancel = ✖️ Скасувати
flow-cancelled = Скасовано; нічого не збережено.
flow-nothing-to-cancel = Немає чого скасовувати.
flow-left = Незавершений крок покинуто; нічого не збережено.
flow-busy = Ви посеред кроку: дайте відповідь або спершу натисніть «Скасувати» (/cancel).
flow-stale-button = Це питання вже закрите.
flow-send-text = Надішліть це текстом або /cancel.
flow-invalid = ⚠️ { $reason }

add-ask-name = ➕ <b>Нове місце</b> (крок 1 з 3)
    Надішліть його назву, наприклад «Дім» або «Дача».
add-ask-timeout = ⏱ <b>{ $name }</b> (крок 2 з 3)
    Через скільки часу без сигналу вважати, що світла немає? Оберіть або надішліть своє: секунди (90) чи хвилини (3m).
btn-minutes = { $n } хв
add-ask-channel = 📢 <b>{ $name }</b> (крок 3 з 3)
    Який канал отримуватиме сповіщення? Натисніть «Обрати канал», перешліть будь-який допис із каналу або надішліть його @username чи id (-100…). Бот має бути там адміністратором із правами «Публікувати повідомлення» та «Редагувати чужі повідомлення».
btn-pick-channel = 📢 Обрати канал
btn-skip-channel = Пропустити: типовий канал
btn-use-default-channel = Типовий канал
add-done = ✅ <b>{ $name }</b> додано, тайм-аут { $timeout } с.
add-channel-linked = 📢 Сповіщення йтимуть у { $title }.
channel-default-used = 📢 Сповіщення йтимуть у типовий канал { $channel }.
channel-no-default = 📢 Типового каналу не задано (DEFAULT_CHANNEL_ID), тож сповіщення для цього місця нікуди не публікуватимуться, доки ви не під'єднаєте канал.
channel-hint = Натисніть «Обрати канал», перешліть допис із каналу або надішліть його @username чи id (-100…).
channel-forward-not-channel = Це повідомлення переслано не з каналу. Перешліть допис із самого каналу.
channel-not-found = Я не бачу цього каналу. Спершу додайте бота в канал адміністратором, тоді спробуйте ще раз.
channel-not-channel = { $title } — не канал. Сповіщення можна публікувати лише в канал.
channel-bot-not-member = Бота немає в { $title }. Додайте його в канал адміністратором із правами «Публікувати повідомлення» та «Редагувати чужі повідомлення».
channel-bot-not-admin = Бот є в { $title }, але не адміністратор. Зробіть його адміністратором із правами «Публікувати повідомлення» та «Редагувати чужі повідомлення».
channel-rights-missing = Бот — адміністратор { $title }, але бракує права { $missing }. Надайте його в налаштуваннях адміністраторів каналу й спробуйте ще раз.
channel-cannot-post = «Публікувати повідомлення» (потрібне для сповіщень)
channel-cannot-pin = «Редагувати чужі повідомлення» (потрібне, щоб закріплювати щоденну діаграму)
channel-unreachable = Telegram не відповів. Спробуйте ще раз за хвилину.
channel-ask = 📢 Канал для <b>{ $name }</b>. Зараз: { $current }
    Натисніть «Обрати канал», перешліть допис із каналу або надішліть його @username чи id (-100…).
channel-linked = 📢 Сповіщення для <b>{ $name }</b> тепер ідуть у { $title }.

rename-ask = ✏️ Нова назва для <b>{ $name }</b>?
renamed = ✏️ Перейменовано на <b>{ $name }</b>.
timeout-ask = ⏱ Тайм-аут <b>{ $name }</b> — { $timeout } с. Оберіть новий або надішліть свій: секунди (90) чи хвилини (3m).
timeout-set = ⏱ Тайм-аут <b>{ $name }</b> тепер { $timeout } с. Пристрій має надсилати сигнал кожні { $interval } с: новий config.h — у «📟 Конфіг ESP32».

admins-title = 👥 <b>Адміністратори</b>
admins-line = • { $name } · id { $id } { $marks }
admins-owner-mark = 👑 OWNER_ID
admins-you-mark = (ви)
admins-hint = Натисніть ім'я, щоб прибрати адміністратора. Власника з OWNER_ID і останнього адміністратора прибрати не можна.
btn-add-admin = ➕ Додати адміністратора
btn-remove-admin = ➖ { $name }
admin-remove-confirm = Прибрати <b>{ $name }</b> з адміністраторів? Надалі він отримуватиме лише ввічливу відмову.
btn-remove-yes = ➖ Так, прибрати
admin-remove-removed = ➖ { $name } більше не адміністратор.
admin-remove-owner = { $name } — власник з OWNER_ID, його не можна прибрати тут.
admin-remove-last = { $name } — останній адміністратор, його не можна прибрати: спершу додайте іншого.
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
location-error-timeout-range = Тайм-аут { $seconds } с поза межами: від { $min } с до 24 год. Коротший дає хибні сповіщення при повільному Wi-Fi, довший повідомляє про відключення запізно.
location-error-channel-invalid = Це не канал. Надішліть його @username (наприклад, @home_power) або числовий id (наприклад, -1001234567890).
location-error-language-invalid = Мова має бути однією з: { $choices }.
location-error-place-missing = Такого місця немає (можливо, його вже видалили).
location-error-no-channel = У «{ $name }» немає каналу для діаграми. Спершу прив'яжіть канал (або задайте DEFAULT_CHANNEL_ID).

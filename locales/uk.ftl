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

duration-less-than-minute = менше хвилини
duration-days = { $n } д
duration-hours = { $n } год
duration-minutes = { $n } хв

# Private notices to admins
notice-alerting-failed = ⚠️ <b>Не вдається надсилати сповіщення</b> для «{ $place }» у { $channel }.
    Причина: { $reason }
    Перевірте, що бот — адміністратор каналу з правом публікувати повідомлення. Попередження зникне після першого вдалого надсилання.

# Admin chat
not-admin = Вибачте, цей бот керує моніторингом світла лише для своїх адміністраторів.
help = <b>Монітор світла</b>
    /start — місця та їхній стан
    /help — ця довідка

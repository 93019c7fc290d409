# Channel alerts (HTML; variables with user text are escaped before they get here)
alert-power-off = 🔴 <b>Power is gone</b>
    📍 { $place }
    🕒 { $time }{ $previous ->
        [none] {""}
       *[other] {" "}· was on for { $previous }
    }
alert-power-off-after-restart = 🔴 <b>No power</b>
    📍 { $place }
    🕒 went out between { $from } and { $to }
    ℹ️ The monitor was restarting then, so it cannot be more exact.
alert-power-on = 🟢 <b>Power is back</b>
    📍 { $place }
    🕒 { $time } · was off for { $duration }
alert-power-on-uptime-note = ℹ️ Return time taken from the device's uptime after it rebooted.
alert-short-outage = 🟡 <b>Short outage</b>
    📍 { $place }
    🕒 { $from }–{ $to } · up to { $duration }
    ℹ️ The device rebooted after losing power, so no alert could go out in time.
alert-flapping = ⚡ <b>Power is flickering</b>
    📍 { $place }
    { $changes }
    Now: { $now }
alert-flapping-now-on = 🟢 power on
alert-flapping-now-off = 🔴 no power
alert-change-off = 🔴 { $time } went out
alert-change-on = 🟢 { $time } came back
alert-change-short = 🟡 { $from }–{ $to } short outage

duration-less-than-minute = less than a minute
duration-days = { $n } d
duration-hours = { $n } h
duration-minutes = { $n } min

# Private notices to admins
notice-alerting-failed = ⚠️ <b>Alerts cannot be posted</b> for “{ $place }” to { $channel }.
    Reason: { $reason }
    Make sure the bot is an admin of the channel with the right to post messages. The warning clears after the next successful post.

# Admin chat
not-admin = Sorry, this bot manages power monitoring for its admins only.
help = <b>Power monitor</b>
    /start — places and their status
    /help — this help

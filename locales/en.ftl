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
alert-power-on-uptime-note = ℹ️ The device itself told when the power came back: it switched on with the power.
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

alert-delayed = ⏳ <b>Alerts were delayed</b>
    📍 { $place }
    { $changes }
    Now: { $now }
alert-delayed-note = ⏳ This alert was delayed by { $delay }.
alert-span-off-on = 🔴 { $from }–🟢 { $to }, off for { $duration }
alert-change-on-after = 🟢 { $time } came back after { $duration }
alert-digest = ⚡ <b>{ $time } — { $off } of { $total } { $total ->
        [one] place
       *[other] places
    } without power</b>
    { $lines }
alert-digest-off = 🔴 { $place } · went out at { $time }
alert-digest-on = 🟢 { $place } · back at { $time } after { $duration }
alert-digest-short = 🟡 { $place } · short outage { $from }–{ $to }
alert-digest-changes = ({ $count } changes)
alert-digest-more = …and { $count } more
alert-digest-delayed = ⏳ These alerts were delayed: Telegram could not be reached.

duration-less-than-minute = less than a minute
duration-days = { $n } d
duration-hours = { $n } h
duration-minutes = { $n } min
duration-seconds = { $n } s

# Weekly diagram: drawn on the picture as plain text; its caption repeats the title and totals
diagram-title = { $place } · { $week }
diagram-week = { $first }–{ $last } { $month }
diagram-week-across-months = { $first } { $firstMonth } – { $last } { $lastMonth }
diagram-totals = Off: { $off } · outages: { $outages } · longest: { $longest }
diagram-no-outages = No outages
diagram-no-data = No data yet
diagram-legend-on = Power on
diagram-legend-off = Power off
diagram-legend-unknown = No data
diagram-legend-future = Yet to come
# The outage schedule's line under the totals: planned hours of the week so far, and the strip's pale part.
diagram-plan-planned = Scheduled: { $planned }
diagram-plan-possible = possible
# $day: 1 is Monday … 7 is Sunday
diagram-weekday = { $day ->
        [1] Mon
        [2] Tue
        [3] Wed
        [4] Thu
        [5] Fri
        [6] Sat
       *[7] Sun
    }
# $month: 1–12, as it reads after a day number ("17 Nov")
diagram-month = { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    }

# Private notices to admins
notice-alerting-failed = ⚠️ <b>Alerts for “{ $place }” cannot be posted</b> to { $channel }.
    Reason: { $reason }
    Make sure the bot is an admin of the channel with the right to post messages. The warning clears after the next successful post.
notice-delivery-delayed = ⏳ <b>Alerts for “{ $place }” are delayed</b>: Telegram has not accepted them in { $channel } for { $minutes } min.
    Reason: { $reason }
    Still trying. As soon as it works, the channel gets one message about everything that happened, and the warning clears.

# Admin chat
not-admin = Sorry, this bot manages power monitoring for its admins only.
setup-claimed = ✅ <b>You are the admin of this bot now.</b> The setup code no longer works; add more admins under “👥 Admins”.
help = <b>Power monitor</b>
    Each place has an ESP32 board that sends a heartbeat every few seconds. When heartbeats stop for longer than the place's timeout, the power is off, and its channel gets an alert.
    /locations — places, their status and settings
    /add — add a place (name → timeout → channel)
    /stats — a place's statistics for 7 or 30 days or a month, with a picture
    /diagram — post a place's weekly diagram now
    /export — a place's power history as CSV
    /backup — a snapshot of the database
    /admins — who may manage the bot
    /language — the language of this chat
    /cancel — leave the current step
cmd-start = My places
cmd-settings = Language and quiet hours
cmd-locations = Places and their status
cmd-add = Add a place
cmd-stats = Power statistics for a period
cmd-diagram = Post a diagram now
cmd-export = Power history as CSV
cmd-backup = Database backup
cmd-admins = Admins
cmd-language = Language of this chat
cmd-help = Help
cmd-cancel = Cancel the current step
unknown-input = I did not understand that. /locations opens the menu, /help lists what I can do.
button-stale = This button is no longer active. /locations opens the current menu.
menu-outdated = The menu was out of date; here is the current one.

main-title = <b>Places</b> · { $count }
main-empty = No places yet. Press “➕ Add a place” to add the first one.
main-hint = Choose a place for its status and settings.
main-failing = ⚠️ Alerts are failing for { $count ->
        [one] one place
       *[other] { $count } places
    }: open it to see why.
btn-add-place = ➕ Add a place
btn-admins = 👥 Admins
btn-ui-language = 🌐 Мова / Language
btn-refresh = 🔄 Refresh
btn-back-places = ⬅️ All places
btn-back = ⬅️ Back
btn-no = ⬅️ No, back
place-gone = This place no longer exists.

place-title = <b>{ $name }</b>
place-status-on = 🟢 Power on for { $duration } (since { $since })
place-status-off = 🔴 No power for { $duration } (since { $since })
place-status-unknown = ⚪ Unknown for { $duration } (since { $since })
place-status-waiting = ⚪ Waiting for the first heartbeat
place-paused = ⏸ Paused: heartbeats are recorded, nothing is posted
place-last-heartbeat = 📡 Last heartbeat { $time } ({ $ago } ago)
place-no-heartbeat = 📡 No heartbeat yet
place-device = 🔧 { $facts }
place-device-fw = firmware { $fw }
place-device-rssi = Wi-Fi { $rssi } dBm
place-device-uptime = up { $uptime }
place-device-ip = IP { $ip }
place-timeout = ⏱ Timeout { $timeout } · the device reports every { $interval } s
place-channel = 📢 Channel { $channel }
# A channel named by its title (already escaped); without one, its id is shown as it is.
channel-named = “{ $title }”
place-channel-default = 📢 Default channel { $channel }
place-channel-none = 📢 No channel: alerts are not posted anywhere
place-language = 🌐 Posts { $language }
place-alerting-failed = ⚠️ Alerts are failing: { $reason }
place-paused-now = ⏸ Paused. Heartbeats are still recorded; nothing is posted until you resume.
place-resumed = ▶️ Resumed. Watching starts again with the next heartbeat.
language-name-uk = in Ukrainian
language-name-en = in English
btn-language-uk = 🇺🇦 Українська
btn-language-en = 🇬🇧 English

btn-config = 📟 ESP32 config
btn-events = 📜 Recent events
btn-rename = ✏️ Rename
btn-timeout = ⏱ Timeout
btn-channel = 📢 Channel
btn-post-language = 🌐 Post language
btn-pause = ⏸ Pause
btn-resume = ▶️ Resume
btn-diagram = 📊 Diagram now
btn-rotate = 🔑 New key
btn-delete = 🗑 Delete

rotate-confirm = 🔑 A new key for <b>{ $name }</b>. What should happen to the old one?
    🔄 <b>Routine change</b>: the old key keeps working until the board first checks in with the new one (at most 7 days).
    ⛔ <b>The key leaked</b>: the old key stops now; until the board is flashed with the new one, the place waits and posts no outage.
btn-rotate-keep = 🔄 Routine change
btn-rotate-revoke = ⛔ It leaked: stop the old key
rotate-done-keep = 🔑 <b>{ $name }</b> has a new key. The old one keeps working until the board checks in with the new one (until { $until } at the latest). Flash the new config.h below.
rotate-done-revoke = ⛔ <b>{ $name }</b> has a new key and the old one no longer works. Until the board checks in with the new key, no outage will be posted. Flash the new config.h below.
place-awaiting-key = ⏳ Waiting for the board to check in with the new key (the old one was stopped { $since }); no outages are posted meanwhile.
place-old-key-until = 🔄 The old key still works — until the board first uses the new one, { $until } at the latest.
delete-confirm = 🗑 Delete <b>{ $name }</b>?
    { $events ->
        [0] This deletes the place (it has no power events yet)
        [one] This deletes the place with its one power event
       *[other] This deletes the place with its { $events } power events (the whole history)
    } and its diagrams, and its key stops working. This cannot be undone.
btn-delete-yes = 🗑 Yes, delete
delete-done = 🗑 Deleted <b>{ $name }</b>{ $events ->
        [0] {""}
        [one] {" "}and its one power event
       *[other] {" "}and its { $events } power events
    }.
post-language-title = 🌐 In which language should alerts and diagrams for <b>{ $name }</b> be posted?
post-language-set = 🌐 Posts will be { $language }.

events-title = 📜 <b>{ $name }</b>: recent events
events-none = Nothing yet: the device has never reported.
events-line-open = { $emoji } { $what } since { $from } · { $duration } so far
events-line-closed = { $emoji } { $what } { $from }–{ $to } · { $duration }
events-zone = <i>Times in { $zone }.</i>
event-status-on = power
event-status-off = no power
event-status-unknown = unknown

config-title = 📟 <b>ESP32 config for { $name }</b>
config-body = Server URL: <code>{ $url }</code>
    Key: <code>{ $key }</code>
    Heartbeat every { $interval } s · timeout { $timeout }
    Put the config.h below next to power_monitor.ino, fill in your Wi-Fi name and password, and flash the board. Keep the key secret: whoever has it can report power for this place.
config-no-public-url = ℹ️ PUBLIC_URL is not set, so replace { $host } with this server's address.
config-caption = config.h for { $name }

diagram-unavailable = 📊 Diagrams are not available in this build yet, so nothing was sent.
diagram-sent = 📊 The diagram for <b>{ $name }</b> is on its way to the channel.
diagram-failed = 📊 Could not send the diagram for <b>{ $name }</b>: { $reason }
diagram-choose = 📊 Which place's diagram should be posted now?
stats-choose = 📈 Statistics for which place?
stats-period = 📈 <b>{ $name }</b>: statistics for which period?
btn-stats-7-days = 7 days
btn-stats-30-days = 30 days
btn-stats-this-month = This month
btn-stats-last-month = Last month
btn-stats-other-place = ⬅️ Another place
stats-unavailable = 📈 Statistics are not available in this build (there is no picture renderer), so nothing was sent.
stats-failed = 📈 Could not prepare the statistics for <b>{ $name }</b>. Try again in a minute; if that does not help, the service log says why.
export-choose = 📄 Which place's power history do you want as CSV?
choose-empty = There are no places yet.
export-caption = Power history of <b>{ $name }</b>; times in { $zone }.
backup-caption = 💾 Database snapshot of { $time }. It holds the device keys: keep it private. To restore, stop the service and put this file at DATABASE_PATH.
backup-failed = 💾 The backup failed: { $reason }
backup-postgres = 💾 This service keeps its data in PostgreSQL (DATABASE_URL), so there is no file to send. Back it up with PostgreSQL's own tool, e.g. <code>pg_dump --format=custom &quot;$DATABASE_URL&quot; &gt; monitor.dump</code> (restore: <code>pg_restore --clean -d &quot;$DATABASE_URL&quot; monitor.dump</code>), or with your provider's snapshots (fly.io's managed Postgres makes daily ones). The dump holds the device keys: keep it private.

btn-cancel = ✖️ Cancel
flow-cancelled = Cancelled; nothing was saved.
flow-nothing-to-cancel = There is nothing to cancel.
flow-left = The unfinished step was abandoned; nothing was saved.
flow-busy = You are in the middle of a step: answer it, or press Cancel (/cancel) first.
flow-stale-button = That question is closed.
flow-send-text = Please send it as a text message, or /cancel.
flow-invalid = ⚠️ { $reason }

add-ask-name = ➕ <b>New place</b> (step 1 of { $steps })
    Send its name, for example “Home” or “Dacha”.
add-ask-timeout = ⏱ <b>{ $name }</b> (step 2 of { $steps })
    After how long without a heartbeat is the power off? Choose, or send your own: seconds (90) or minutes (3m).
btn-minutes = { $n } min
add-ask-channel = 📢 <b>{ $name }</b> (step 3 of { $steps })
    Where should the alerts go? A channel: press “Choose a channel”, forward any post from the channel, or send its @username or id (-100…); the bot must be an admin there with the rights “Post messages” and “Edit messages of others”. A group: “Choose a group”; a topic of a group: send its link. In a group the bot must be able to write.
btn-pick-channel = 📢 Choose a channel
btn-skip-channel = Skip: use the default channel
btn-use-default-channel = Use the default channel
add-done = ✅ <b>{ $name }</b> is added, timeout { $timeout }.
add-channel-linked = 📢 Alerts go to { $title }.
channel-default-used = 📢 Alerts go to the default channel { $channel }.
channel-no-default = 📢 No default channel is set (DEFAULT_CHANNEL_ID), so alerts for this place are not posted anywhere until you link a channel.
channel-hint = Press “Choose a channel” or “Choose a group”, forward a post from the channel, or send an @username, an id (-100…) or a group topic's link.
channel-forward-not-channel = That message was not forwarded from a channel. Forward a post from the channel itself, or pick a group with “Choose a group”.
channel-not-found = I cannot see that channel. Add the bot to the channel as an administrator first, then try again.
channel-not-channel = { $title } is not a channel. Alerts can only go to a channel.
channel-bot-not-member = The bot is not in { $title }. Add it to the channel as an administrator with the rights “Post messages” and “Edit messages of others”.
channel-bot-not-admin = The bot is in { $title } but is not an administrator. Make it an admin with the rights “Post messages” and “Edit messages of others”.
channel-rights-missing = The bot is an admin of { $title } but lacks the right { $missing }. Grant it in the channel's administrator settings, then try again.
channel-cannot-post = “Post messages” (needed for alerts)
channel-cannot-pin = “Edit messages of others” (needed to pin the daily diagram)
channel-unreachable = Telegram did not answer. Try again in a moment.
channel-ask = 📢 Channel for <b>{ $name }</b>. Now: { $current }
    Press “Choose a channel” or “Choose a group”, forward a post from the channel, or send an @username, an id (-100…) or a group topic's link.
channel-linked = 📢 Alerts for <b>{ $name }</b> now go to { $title }.

rename-ask = ✏️ New name for <b>{ $name }</b>?
renamed = ✏️ Renamed to <b>{ $name }</b>.
timeout-ask = ⏱ The timeout of <b>{ $name }</b> is { $timeout }. Choose a new one, or send your own: seconds (90) or minutes (3m).
timeout-set = ⏱ The timeout of <b>{ $name }</b> is now { $timeout }. The device should report every { $interval } s: “📟 ESP32 config” has the new config.h.

admins-title = 👥 <b>Admins</b>
admins-line = • { $name } · id { $id } { $marks }
admins-owner-mark = 👑 OWNER_ID
admins-you-mark = (you)
admins-hint = Press a name to remove that admin. The owner from OWNER_ID and the last admin cannot be removed.
btn-add-admin = ➕ Add admin
btn-remove-admin = ➖ { $name }
admin-remove-confirm = Remove <b>{ $name }</b> from the admins? They will only get a polite refusal from then on.
btn-remove-yes = ➖ Yes, remove
admin-remove-removed = ➖ { $name } is no longer an admin.
admin-remove-owner = { $name } is the owner from OWNER_ID and cannot be removed here.
admin-remove-last = { $name } is the last admin and cannot be removed: add another admin first.
admin-remove-absent = { $name } is not an admin any more.
admin-add-ask = 👤 Who should become an admin? Press “Choose a person”, forward me any message from them, or send their numeric Telegram id.
btn-pick-person = 👤 Choose a person
admin-add-hidden = Their privacy settings hide who they are in forwards. Press “Choose a person”, or send their numeric id (they can get it from @userinfobot).
admin-add-not-id = Send a numeric Telegram id (digits only), forward a message from the person, or press “Choose a person”.
admin-add-bot = A bot cannot be an admin.
admin-added = ✅ { $name } is an admin now. They can open this bot and send /start.
admin-already = { $name } is already an admin.

ui-language-title = 🌐 Choose the language of this chat.
ui-language-set = 🌐 This chat is in English now.

# Refusals of the place rules (src/locations/location-rules.ts)
location-error-name-empty = The name is empty. Type a short name such as “Home” or “Dacha”.
location-error-name-too-long = The name is too long ({ $length } characters); keep it to { $max }.
location-error-name-control = The name contains control characters; use plain text.
location-error-timeout-unreadable = “{ $input }” is not a timeout. Send seconds (e.g. 90) or minutes with “m” (e.g. 5m), from { $min } s to 24 h.
location-error-timeout-range = A timeout of “{ $input }” is out of range: use { $min } s to 24 h. Shorter gives false alerts on a slow Wi-Fi; longer reports outages late.
location-error-channel-invalid = That is not a channel. Send its @username (e.g. @home_power) or its numeric id (e.g. -1001234567890).
location-error-language-invalid = Language must be one of: { $choices }.
location-error-place-missing = There is no such place (it may have been deleted).
location-error-no-channel = “{ $name }” has no channel to post the diagram to. Link a channel to it (or set DEFAULT_CHANNEL_ID) first.

# ── Reports (issue 14): weekly summaries, monthly reports, /stats ───────────────────────────
# Durations, days and shares arrive formatted; { $place } is already escaped for HTML.
# The picture texts (report-picture-*, report-legend-*) are drawn on the PNG, not sent as HTML.
report-weekly-title = 📊 <b>Week { $range }</b> · { $place }
report-monthly-title = 📅 <b>{ $month }</b> · { $place }
report-stats-title = 📊 <b>{ $range }</b> · { $place }
report-no-data = No data for this time: the monitor heard nothing from the device.
report-no-outages = 🟢 No outages.
report-off-total = 🔴 Without power: { $duration } · { $outages ->
        [one] one outage
       *[other] { $outages } outages
    }
report-longest = ⏱ Longest: { $duration } ({ $day }, from { $time })
report-worst-day = 📆 Hardest day: { $day }, { $duration } without power
report-power-share = 💡 Power was on { NUMBER($share, maximumFractionDigits: 1) }% of the time
report-unknown = ❔ No data for { $duration }; that time is not counted.
report-plan = 🗓 Scheduled: { $planned }{ $possible ->
        [none] {""}
       *[other] , possibly { $possible } more
    } · actual: { $actual }
report-plan-outside = ⚠️ Outside the schedule: { $duration }
report-compare-week = { $direction ->
        [less] 📉 { $delta } less without power than the week before ({ $previous } then)
        [more] 📈 { $delta } more without power than the week before ({ $previous } then)
       *[same] ↔️ As much time without power as the week before
    }
report-compare-week-partial = ⚖️ The week before, power was on { NUMBER($share, maximumFractionDigits: 1) }% of the time (hours don't compare: the data is incomplete)
report-compare-month = { $direction ->
        [less] 📉 { $delta } less without power than the month before ({ $previous } then)
        [more] 📈 { $delta } more without power than the month before ({ $previous } then)
       *[same] ↔️ As much time without power as the month before
    }
report-compare-month-partial = ⚖️ The month before, power was on { NUMBER($share, maximumFractionDigits: 1) }% of the time (hours don't compare: the data is incomplete)
report-picture-title = { $place } · { $period }
report-picture-totals = Without power: { $duration } · outages: { $outages } · longest: { $longest }
report-picture-share = Power was on { NUMBER($share, maximumFractionDigits: 1) }% of the time
report-picture-unknown = no data for { $duration }
report-picture-no-outages = No outages
report-picture-no-data = No data
report-legend-on = Power on
report-legend-off = Power off
report-legend-unknown = No data
report-legend-future = Yet to come
report-day = { $weekday } { $date }
report-weekday = { $weekday ->
        [1] Mon
        [2] Tue
        [3] Wed
        [4] Thu
        [5] Fri
        [6] Sat
       *[7] Sun
    }
report-date = { $day } { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    }
report-month-name = { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }
# ---------------------------------------------------------------------------------------------
# Outage schedules (src/schedules/plan-text.ts). Every key in this block starts with plan-.
plan-queue = queue { $queue }
plan-possible-mark = (possible)
plan-off-planned = 📅 Scheduled outage, until ~{ $until } ({ $queue })
plan-off-planned-open = 📅 Scheduled outage ({ $queue })
plan-off-possible = 📅 Possible under the schedule, until ~{ $until } ({ $queue })
plan-off-possible-open = 📅 Possible under the schedule ({ $queue })
plan-off-unplanned = ⚠️ Not in the schedule ({ $queue })
plan-on-later = 📅 { $delta } later than { $kind ->
        [possible] the possible outage
       *[planned] scheduled
    } (until { $until })
plan-on-earlier = 📅 { $delta } earlier than { $kind ->
        [possible] the possible outage
       *[planned] scheduled
    } (until { $until })
plan-on-on-time = 📅 On time, { $kind ->
        [possible] as the possible outage said
       *[planned] as scheduled
    } (until { $until })
plan-on-next = ⏭ Next: { $interval }{ $kind ->
        [possible] {" "}(possible)
       *[planned] {""}
    }
plan-on-next-tomorrow = ⏭ Next: tomorrow { $interval }{ $kind ->
        [possible] {" "}(possible)
       *[planned] {""}
    }
plan-on-none-today = ⏭ No more scheduled outages today
plan-on-none = ⏭ No scheduled outages through tomorrow
plan-warning = ⏰ Power is scheduled to go off at { $start } ({ $queue }), until ~{ $end }
    📍 { $place }
plan-warning-open = ⏰ Power is scheduled to go off at { $start } ({ $queue })
    📍 { $place }
plan-changed = 📅 { $day ->
        [today] Today's
       *[tomorrow] Tomorrow's
    } schedule changed: { $changes }
    📍 { $place } · { $queue }
plan-tomorrow = 📅 Tomorrow's schedule ({ $queue }): { $intervals }
    📍 { $place }
plan-tomorrow-none = 📅 No scheduled outages tomorrow ({ $queue })
    📍 { $place }
plan-skipped = 📅 { $interval } was scheduled, but the power stayed on
plan-health-ok = 📅 Schedule: { $source }, { $queue } · updated { $age } ago
plan-health-unknown = 📅 Schedule: { $source }, { $queue } — not shown in posts: { $reason }
plan-health-age = The data was updated { $age } ago.
plan-health-error = Failed attempts in a row: { $failures }; last error: { $error }
plan-reason-never-fetched = the source has not been read yet
plan-reason-fetch-failing = the source is not answering
plan-reason-source-stale = the source has not been updated for too long
plan-reason-queue-missing = the source has no queue “{ $queue }”
plan-reason-day-missing = the source has no schedule for today
plan-reason-waiting = the supplier has not published the schedule yet
plan-reason-emergency = emergency outages are on, the schedule does not apply
plan-reason-unreadable = the source sent data that could not be read
plan-error-unknown-source = There is no schedule source “{ $source }”. Known sources: { $known }.
plan-error-unknown-queue = The source “{ $source }” has no queue “{ $queue }”. Its queues: { $known }.
plan-error-no-copy = The source “{ $source }” has not been read yet, so its queues are not known. Try again in a minute.
plan-error-warn-minutes = Warnings can come { $choices } minutes ahead (0 turns them off).
# ---------------------------------------------------------------------------------------------
# People around a place (issue 13, src/people/*): subscribers, invite links, quiet hours, snooze,
# groups and topics. Every key in this block starts with people-. { $place } and { $name } arrive
# escaped for HTML (people-invite-share-text is plain text: it travels in a share URL).
people-refused = Only admins can do this.
people-stranger = This bot sends power alerts only to people who were invited. Ask whoever watches the place for an invite link.
people-welcome-back = 👋 Welcome back! Alerts will come here again.

people-join-subscribed = 🔔 Done: power alerts for “{ $place }” will now come here.
    Now: { $quiet } (to change: /settings).
people-join-already = 🔔 You already get alerts for “{ $place }”.
people-join-renewed = 🔗 The link to “{ $place }” has been replaced with a new one, so this one no longer works. Ask whoever sent it for a fresh one.
people-join-expired = ⌛ The link to “{ $place }” has expired. Ask whoever sent it for a new one.
people-join-unknown = 🔗 I don't know this link. Maybe it was not copied in full, or the place no longer exists. Ask for a new link.

people-btn-invite = 🔗 Invite
people-invite-title = 🔗 <b>Invite to “{ $place }”</b>
    Anyone who opens this link gets this place's power alerts in a private chat with the bot, without seeing settings or keys.
    { $link }
people-invite-share-text = Power alerts for “{ $place }”
people-btn-share = 📤 Share
people-btn-renew-link = 🔄 New link
people-invite-renewed = 🔄 Link renewed: the old one no longer works. People who already subscribed keep their alerts.

people-btn-subscribers = 👥 Subscribers
people-subscribers-title = 👥 <b>Subscribers of “{ $place }”</b> · { $count }
people-subscribers-none = No subscribers yet. Send someone the invite link.
people-subscriber-line = • { $name } · since { $since }{ $inactive ->
        [yes] {" "}· 🚫 blocked the bot
       *[no] {""}
    }
people-btn-remove-subscriber = ➖ { $name }
people-subscriber-remove-confirm = Remove <b>{ $name }</b> from the subscribers of “{ $place }”? They will stop getting alerts for this place.
people-btn-remove-subscriber-yes = ➖ Yes, remove
people-subscriber-removed = ➖ { $name } no longer gets alerts for “{ $place }”.

people-places-title = 🔔 <b>Your places</b>
people-btn-leave = 🚪 Unsubscribe
people-leave-confirm = Stop getting alerts for “{ $place }”? You can only come back with a new invite.
people-btn-leave-yes = 🚪 Yes, unsubscribe
people-left = 🚪 You have unsubscribed from “{ $place }”.

people-settings-title = ⚙️ <b>Your settings</b>
people-quiet-off = 🔔 quiet hours off
people-quiet-window = 🌙 quiet hours { $window }
people-quiet-ask = 🌙 When should alerts arrive without sound? Send a range such as 23:00-07:00, or “off” to always hear them. Now: { $current }.
people-quiet-set = Now: { $current }. { $on ->
        [yes] Alerts in those hours still arrive, but silently.
       *[no] Alerts always arrive with sound.
    }
people-quiet-error-format = I couldn't read that time. Send a range such as 23:00-07:00 or 22-6, or “off”.
people-quiet-error-same = The start and the end are the same. Pick a range such as 23:00-07:00.
people-choices-title = What to send about “{ $place }”:
people-choice-alerts = { $on ->
        [yes] ✅
       *[no] ⬜
    } Outages and returns
people-choice-plan-warnings = { $on ->
        [yes] ✅
       *[no] ⬜
    } Warnings before scheduled outages
people-choice-weekly = { $on ->
        [yes] ✅
       *[no] ⬜
    } Weekly summary

people-btn-snooze = 🔕 Mute for { $hours } h
people-btn-snooze-end = 🔔 Unmute
people-snoozed = 🔕 “{ $place }”: alerts muted until { $until }. Changes are still recorded and drawn on the diagram; when the time is up, one post will tell what happened.
people-place-snoozed = 🔕 Alerts muted until { $until }
people-snooze-resumed = 🔔 “{ $place }”: alerts are back on.
people-snooze-summary-one = 🔕 <b>While the admin held back alerts</b>: { $change }
    📍 { $place }
    Now: { $now }
people-snooze-summary = 🔕 <b>While the admin held back alerts</b>
    📍 { $place }
    { $changes }
    Now: { $now }
people-snooze-outage = 🔴 { $from }–🟢 { $to }, off for { $duration }
people-snooze-off = 🔴 { $time } power went out
people-snooze-off-between = 🔴 power went out between { $from } and { $to }
people-snooze-on = 🟢 { $time } power came back, off for { $duration }
people-snooze-short = 🟡 { $from }–{ $to } short outage
people-snooze-earlier = … and { $count } earlier
people-snooze-now-on = 🟢 power on since { $since }
people-snooze-now-off = 🔴 no power since { $since }

people-destination-group = 👥 Group { $title }
people-destination-topic = 🧵 Topic “{ $topic }” in { $title }
people-destination-quiet = 🌙 Silent { $window }
people-btn-pick-group = 👥 Choose a group
people-btn-topic-general = General topic
people-topic-ask = 🧵 { $title } has topics. Send the link of the topic the alerts should go to (in the topic: ⋯ → “Copy link”), or press “General topic”.
people-topic-hint = Send the topic's link (https://t.me/c/…/…) or press “General topic”.
people-topic-not-found = { $title } has no such topic. Check the link: in the topic, ⋯ → “Copy link”.
people-chat-not-group-or-channel = { $title } is neither a channel nor a group. Alerts can go to a channel, a group or a topic of a group.
people-group-bot-not-member = The bot is not in the group { $title }. Add it there, then try again.
people-group-cannot-send = The bot may not write in the group { $title }. Let it send messages (or make it an admin) and try again.
people-chat-quiet-ask = 🌙 Quiet hours of the chat { $chat } for <b>{ $name }</b>: now { $current }.
    Send a range such as 22:00-08:00: posts in that time will arrive without sound. “off” turns quiet hours off.
people-chat-quiet-set = 🌙 <b>{ $name }</b>: { $current }.
people-chat-quiet-no-chat = <b>{ $name }</b> has no chat to post to: link a channel or a group first.
people-btn-chat-quiet = 🌙 Chat quiet hours
people-btn-snooze-menu = 🔕 Mute alerts…
people-snooze-ask = 🔕 For how long should alerts for “{ $place }” be muted? Changes are still recorded and drawn on the diagram; when the time is up, one post will tell what happened. This is not a pause: the place is still watched.
people-place-subscribers = 👥 Subscribers: { $count }

people-home-place = <b>{ $place }</b>
    { $status }
people-home-hint = Press a place to see its diagram and schedule and to choose what you get.
people-home-none = You do not get alerts for any place. To get them again, open an invite link: ask whoever watches the place for one.
people-btn-settings = ⚙️ Settings
people-btn-my-places = ⬅️ My places
people-btn-diagram = 🖼 Diagram
people-btn-stats = 📈 Statistics
people-diagram-unavailable = 🖼 The diagram is not available in this build.
people-diagram-failed = 🖼 Could not draw the diagram of “{ $place }”. Try again in a minute.
people-settings-language = 🗣 Language: { $language }
people-settings-hint = In quiet hours alerts arrive without sound. You can also just send your own range as a message, e.g. 22:30-06:30.
people-btn-quiet = 🌙 { $window }
people-btn-quiet-custom = ✏️ Other time
people-btn-quiet-off = 🔔 Always with sound
people-language-set = 🗣 Now in English.
people-help = <b>Power alerts</b>
    Alerts about the places you were invited to come here.
    /start — your places: state, diagram, schedule and what you get
    /settings — language and quiet hours
    /stats — statistics for a week or a month
    You can just send quiet hours as a message, e.g. 23:00-07:00.
people-not-understood = I did not understand. /start shows your places, /settings your settings. Send quiet hours like this: 23:00-07:00.
people-place-gone = You no longer follow this place. /start shows your places.
people-button-stale = This button no longer works. /start shows your places.
# Outage schedule of a place in the admin chat (src/bot/features/menus/schedule-menu.ts, flows/schedule-step.ts, views/schedule-text.ts).
btn-schedule = 📅 Outage schedule
place-schedule-none = 📅 No outage schedule chosen
place-schedule-gone = 📅 Schedule: the source “{ $source }” is no longer configured (SCHEDULE_SOURCES), so no plan is shown. Choose another.
place-schedule-day = { $day ->
        [today] Today
       *[tomorrow] Tomorrow
    }: { $intervals }
place-schedule-day-none = { $day ->
        [today] Today
       *[tomorrow] Tomorrow
    }: no scheduled outages
place-schedule-tomorrow-unknown = Tomorrow: no schedule yet
place-schedule-tomorrow-emergency = Tomorrow: emergency outages, the schedule does not apply
plan-menu-title = 📅 <b>{ $name }</b>: outage schedule
plan-menu-hint = Choose the region, then your queue: alerts will say whether an outage is scheduled and when the next one is. Your queue is on your supplier's site or app (DTEK, Yasno, the oblenergo).
plan-menu-warn = ⏰ Warning before an outage: { $minutes ->
        [0] off
       *[other] { $minutes } min ahead
    }
plan-menu-tomorrow = 🗓 Tomorrow's schedule as soon as it appears: { $on ->
        [yes] posted
       *[no] not posted
    }
plan-menu-pick-source = 📅 <b>{ $name }</b>: choose the region
plan-menu-pick-queue = 📅 <b>{ $name }</b> · { $source }: choose the queue
plan-menu-page = Page { $page } of { $pages }
btn-plan-pick = 🗺 Choose region and queue
btn-plan-change = 🗺 Change region or queue
btn-plan-none = 🚫 Don't follow a schedule
btn-plan-warn = { $minutes ->
        [0] 🔕 No warnings
       *[other] ⏰ { $minutes } min ahead
    }
btn-plan-tomorrow = { $on ->
        [yes] ☑️
       *[no] ⬜
    } Post tomorrow's schedule
btn-plan-other-source = ⬅️ Another region
plan-attached = ✅ <b>{ $name }</b> now follows the schedule: { $source }, { $queue }.
plan-detached = Schedule removed: alerts for <b>{ $name }</b> will no longer compare with it.
plan-warn-set = { $minutes ->
        [0] 🔕 No warnings.
       *[other] ⏰ I will warn { $minutes } min before a scheduled outage.
    }
plan-tomorrow-set = { $on ->
        [yes] 🗓 I will post tomorrow's schedule as soon as it appears.
       *[no] 🗓 I will not post tomorrow's schedule separately.
    }
plan-source-pending = ⏳ Reading the source “{ $source }”… Press it again in a minute.
plan-source-unavailable = ⚠️ Could not read “{ $source }”: { $error }. Try later or choose another source.
plan-source-no-queues = ⚠️ The source “{ $source }” lists no queues right now.
add-ask-schedule = 📅 <b>{ $name }</b> (step 4 of 4, optional): outage schedule
    If the power here is cut by a schedule, choose the region, then the queue: alerts will say whether an outage is scheduled and when the next one is. You can also do it later: the place's menu → “📅 Outage schedule”.
add-schedule-pick-source = Choose the region:
add-schedule-pick-queue = { $source }: choose the queue
add-schedule-hint = Press a button under the message: a region, a queue or “No schedule”.
btn-skip-schedule = ⏭ No schedule
add-schedule-skipped = 📅 No schedule.
add-schedule-chosen = 📅 { $source }, { $queue }.
add-schedule-set = 📅 Schedule: { $source }, { $queue }.
add-schedule-failed = ⚠️ No schedule set: { $reason } You can choose one in the place's menu → “📅 Outage schedule”.

# ── The status line of the pinned diagram and the place's reports (issue 14) ──────────────
# The first line of the pinned daily diagram's caption: the state now and since when.
diagram-status-on = <b>🟢 Power on since { $since }</b>
diagram-status-off = <b>🔴 No power since { $since }</b>
diagram-status-unknown = <b>⚪ Status unknown since { $since }</b>
diagram-status-unknown-new = <b>⚪ Waiting for the device's first signal</b>
diagram-status-paused = <b>⏸ Monitoring paused since { $since }</b>
diagram-status-paused-now = <b>⏸ Monitoring paused</b>
# $since for a moment before today: "22:10 yesterday", "18 Nov, 14:02".
diagram-status-since-yesterday = { $time } yesterday
diagram-status-since-date = { $date }, { $time }
btn-reports = 📊 Reports
reports-menu-title = 📊 <b>{ $name }</b>: reports in the channel
    Every Monday at 09:00, the week in numbers: hours without power, the number of outages, the longest, the share of the time with power and the change against the week before.
    On the 1st at 09:00, the picture of the month with its totals.
btn-report-weekly = { $on ->
        [yes] ☑️
       *[no] ⬜
    } Weekly summary
btn-report-monthly = { $on ->
        [yes] ☑️
       *[no] ⬜
    } Monthly report
reports-weekly-set = { $on ->
        [yes] 📊 The weekly summary will come out every Monday at 09:00.
       *[no] 📊 No more weekly summaries in the channel.
    }
reports-monthly-set = { $on ->
        [yes] 📅 The monthly report will come out on the 1st at 09:00.
       *[no] 📅 No more monthly reports in the channel.
    }

## Device recipes ("Connect a device")
recipes-btn-connect = 🔌 Connect a device
recipes-title = 🔌 <b>{ $name }</b>: connect a device
    Pick what you have — the bot sends a ready recipe with this server’s address and this place’s key, nothing to edit.
    Boards, relays and routers send a heartbeat all the time; phones and UPSes report when the mains goes and comes back.
    <i>Page { $page } of { $pages }</i>
recipes-btn-next = More ▶️
recipes-btn-previous = ◀️ Previous
## Post limits: a long pile of alerts folded into one line; admin notices of many places in one message
alert-pile-earlier = ⚡ { $count } { $count ->
        [one] outage
       *[other] outages
    } from { $from } to { $to }, { $duration } without power in all
alert-pile-earlier-short = ⚡ { $count } short { $count ->
        [one] outage
       *[other] outages
    } from { $from } to { $to }, { $duration } without power in all
alert-change-short-at = 🟡 { $time } short outage
notice-more-earlier = … and { $count } such notices before
## Storage faults (issue 20): the database is locked or the disk is full while a person writes to the bot.
storage-try-again = ⏳ The server can't save changes right now: its database is briefly unavailable for writing. Please try again in a minute.
## Schedule insights (issue 23): the queue from the record, emergency cuts, sources
queue-hint-suggest = 🔎 <b>{ $place }</b> ({ $source }): your queue looks like { $queue }: { $matched } of { $outages } { $outages ->
        [one] outage
       *[other] outages
    } matched over { $days } { $days ->
        [one] day
       *[other] days
    }. Follow it?
queue-hint-none = 🔎 <b>{ $place }</b> ({ $source }): no queue matches the outages of the last { $days } { $days ->
        [one] day
       *[other] days
    } (the best only { $matched } of { $outages }). The address may be in another region, or the cuts are off schedule.
queue-hint-better = 🔎 <b>{ $place }</b> ({ $source }): the outages do not match queue { $current } (only { $currentMatched } of { $outages }), but queue { $queue } matches { $matched } of { $outages } over { $days } { $days ->
        [one] day
       *[other] days
    }. The queues may have been reshuffled. Switch to { $queue }?
queue-hint-button = Follow queue { $queue }
queue-hint-done = ✅ { $place }: now on queue { $queue }.
queue-hint-failed = That did not work: { $error }
plan-emergency-line = ⚠️ Emergency outages: the schedule does not apply now
plan-emergency-on = ⚠️ Emergency outages in the region: the schedule does not apply now ({ $place }, { $queue })
plan-emergency-off = ✅ Emergency outages are over: the schedule applies again ({ $place }, { $queue })
place-schedule-probable = 🔮 Probable, from the weekly schedule (not published):
place-schedule-probable-day = { $date }: { $intervals }
place-schedule-probable-day-none = { $date }: no probable outages
btn-schedule-sources = 📅 Schedule sources
sources-title = 📅 <b>Schedule sources</b>
sources-none = No place follows a schedule yet.
sources-name = <b>{ $name }</b> · { $id }
sources-no-copy = No good copy yet.
sources-copy = Last good copy: data as of { $copy } ({ $age } ago), read { $fetched } ago
sources-usable = ✅ Used in posts
sources-unusable = ⚠️ Not used in posts: { $reason }
sources-counts = Failures in the last day: { $failures } · places: { $places }
sources-last-error = Failed attempts in a row: { $failures }; last error: { $error }
btn-plan-queue-unknown = ❓ I don't know the queue: find it from the outages
plan-region-set = 📍 <b>{ $name }</b>: region { $source }, queue not known yet. Once there have been outages on at least 3 days, I will compare them with every queue and tell you which one matches.
plan-region-only = 📍 Region: { $source }; the queue will be found from the outages.
## Devices of a place (issue 21)
alert-confirmed-off = 🔋 confirmed by a device on battery
alert-confirmed-on = 🔌 confirmed by a device that sees the mains
notice-device-online = ✅ “{ $device }” ({ $place }) is on the air, { $time }
notice-device-silent = 📡 “{ $device }” ({ $place }) has been silent for { $duration }, but the power is on — says “{ $prover }”
notice-device-back = 📡 “{ $device }” ({ $place }) is back on the air, { $time }
location-error-device-missing = There is no such device (it may have been removed already).
location-error-device-name-taken = This place already has a device named “{ $name }”; choose another name.
location-error-device-last = “{ $name }” is this place’s only device: without it nothing watches the place. Add another one first (or rotate its key if it leaked), or delete the place itself.
btn-devices = 📟 Devices
btn-device-add = ➕ Add a device
btn-device-key = 🔗 Key and addresses
btn-device-rename = ✏️ Rename
btn-device-remove = 🗑 Remove
btn-device-remove-yes = 🗑 Yes, remove it
devices-title = 📟 <b>{ $name }</b>: devices ({ $count })
devices-hint = The power is on while any device proves it. A device on its battery that sees the mains go confirms an outage at once. Tap a device to change it.
device-title = 📟 <b>{ $name }</b> · place “{ $place }”
device-line = 📟 <b>{ $name }</b>: { $facts }
device-never = not heard from yet
device-seen = heard { $time } ({ $ago } ago)
device-silent = ⚠️ silent since { $time } ({ $ago })
device-awaiting-key = waiting for it to use its new key (since { $since })
device-link-wifi = Wi-Fi
device-link-mobile = mobile data
device-link-ethernet = cable
device-mains-on = 🔌 sees the mains since { $since }
device-mains-off = 🔋 on battery since { $since }
device-rssi = signal { $rssi } dBm
device-key = 🔑 <b>{ $name }</b> · place “{ $place }”
    Key: <code>{ $key }</code>
    Heartbeats: <code>{ $heartbeat }</code>
    Mains on/off events: <code>{ $event }</code>
    For example: <code>{ $example }</code>
device-add-ask = What should the new device of “{ $place }” be called? For example: “Phone”, “Shelly”, “Router”.
device-added = ✅ Device <b>{ $name }</b> added. I will tell you as soon as it checks in.
device-rename-ask = New name for <b>{ $name }</b>?
device-renamed = ✏️ The device is now called <b>{ $name }</b>.
device-rotate-confirm = 🔑 New key for <b>{ $name }</b>. What about the old one?
device-rotate-done-keep = 🔑 <b>{ $name }</b> has a new key. The old one keeps working until the device checks in with the new one (until { $until }).
device-rotate-done-revoke = ⛔ <b>{ $name }</b> has a new key; the old one no longer works. Put the new key into the device.
device-remove-confirm = 🗑 Remove the device <b>{ $name }</b> (place “{ $place }”)? Its key stops working at once; the place’s history stays.
device-removed = 🗑 Device <b>{ $name }</b> removed; its key no longer works.
device-gone = That device no longer exists.
diagram-legend-confirmed = confirmed by a device
## Paged lists and search (places, subscribers, "which place?")
list-page = Page { $page } of { $pages }
list-search-found = { $count ->
        [0] 🔎 Nothing found for “{ $query }”.
       *[other] 🔎 Search “{ $query }”: { $count } found
    }
btn-list-search = 🔎 Search
btn-list-search-again = 🔎 Search again
btn-list-search-clear = ✖️ Show all
list-search-ask-places = 🔎 Send a part of the place's name, and I will show only the places whose name contains it.
list-search-ask-people = 🔎 Send a part of the name, and I will show only the people whose name contains it.
list-search-empty = Send at least one letter of the name.

## Words (issue 22): a language named on its own, and an old button of someone who left
language-title-uk = Ukrainian
language-title-en = English
stale-subscription-button = You no longer follow this place.

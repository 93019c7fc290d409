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

# Private notices to admins
notice-alerting-failed = ⚠️ <b>Alerts cannot be posted</b> for “{ $place }” to { $channel }.
    Reason: { $reason }
    Make sure the bot is an admin of the channel with the right to post messages. The warning clears after the next successful post.
notice-delivery-delayed = ⏳ <b>Alerts are delayed</b> for “{ $place }” to { $channel }: Telegram has not accepted them for { $minutes } min.
    Reason: { $reason }
    Still trying. As soon as it works, the channel gets one message about everything that happened, and the warning clears.

# Admin chat
not-admin = Sorry, this bot manages power monitoring for its admins only.
setup-claimed = ✅ <b>You are the admin of this bot now.</b> The setup code no longer works; add more admins under «👥 Admins».
help = <b>Power monitor</b>
    Each place has an ESP32 board that sends a heartbeat every few seconds. When heartbeats stop for longer than the place's timeout, the power is off, and its channel gets an alert.
    /locations — places, their status and settings
    /add — add a place (name → timeout → channel)
    /diagram — post a place's weekly diagram now
    /export — a place's power history as CSV
    /backup — a snapshot of the database
    /admins — who may manage the bot
    /language — the language of this chat
    /cancel — leave the current step
cmd-locations = Places and their status
cmd-add = Add a place
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
main-empty = No places yet. Press «➕ Add location» to add the first one.
main-hint = Choose a place for its status and settings.
main-failing = ⚠️ Alerts are failing for { $count ->
        [one] one place
       *[other] { $count } places
    }: open it to see why.
btn-add-place = ➕ Add location
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
place-timeout = ⏱ Timeout { $timeout } s · the device reports every { $interval } s
place-channel = 📢 Channel { $channel }
place-channel-default = 📢 Default channel { $channel }
place-channel-none = 📢 No channel: alerts are not posted anywhere
place-language = 🌐 Posts { $language }
place-alerting-failed = ⚠️ Alerts are failing: { $reason }
place-paused-now = ⏸ Paused. Heartbeats are still recorded; nothing is posted until you resume.
place-resumed = ▶️ Resumed. The next heartbeat starts watching again.
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

rotate-confirm = 🔑 Make a new key for <b>{ $name }</b>?
    The current key stops working at once: the device reports nothing until it gets the new config.h.
btn-rotate-yes = 🔑 Yes, make a new key
rotate-done = 🔑 <b>{ $name }</b> has a new key. The old one no longer works: flash the new config.h below.
delete-confirm = 🗑 Delete <b>{ $name }</b>?
    This deletes the place, its { $events } power events (the whole history) and its diagrams, and its key stops working. This cannot be undone.
btn-delete-yes = 🗑 Yes, delete
delete-done = 🗑 Deleted <b>{ $name }</b> and its { $events } power events.
post-language-title = 🌐 In which language should alerts and diagrams for <b>{ $name }</b> be posted?
post-language-set = 🌐 Posts will be { $language }.

events-title = 📜 <b>{ $name }</b>: recent events
events-none = Nothing yet: the device has not reported.
events-line-open = { $emoji } { $what } since { $from } · { $duration } so far
events-line-closed = { $emoji } { $what } { $from }–{ $to } · { $duration }
events-zone = <i>Times in { $zone }.</i>
event-status-on = power
event-status-off = no power
event-status-unknown = unknown

config-title = 📟 <b>ESP32 config for { $name }</b>
config-body = Server URL: <code>{ $url }</code>
    Key: <code>{ $key }</code>
    Heartbeat every { $interval } s · timeout { $timeout } s
    Put the config.h below next to power_monitor.ino, fill in your Wi-Fi name and password, and flash the board. Keep the key secret: whoever has it can report power for this place.
config-no-public-url = ℹ️ PUBLIC_URL is not set, so replace { $host } with this server's address.
config-caption = config.h for { $name }

diagram-unavailable = 📊 Diagrams are not available in this build yet, so nothing was sent.
diagram-sent = 📊 The diagram for <b>{ $name }</b> is on its way to the channel.
diagram-failed = 📊 Could not send the diagram for <b>{ $name }</b>: { $reason }
diagram-choose = 📊 Which place's diagram should be posted now?
export-choose = 📄 Which place's power history do you want as CSV?
choose-empty = There are no places yet.
export-caption = Power history of <b>{ $name }</b>; times in { $zone }.
backup-caption = 💾 Database snapshot of { $time }. It holds the device keys: keep it private. To restore, stop the service and put this file at DATABASE_PATH.
backup-failed = 💾 The backup failed: { $reason }

btn-cancel = ✖️ Cancel
flow-cancelled = Cancelled; nothing was saved.
flow-nothing-to-cancel = There is nothing to cancel.
flow-left = The unfinished step was left; nothing was saved.
flow-busy = You are in the middle of a step: answer it, or press Cancel (/cancel) first.
flow-stale-button = That question is closed.
flow-send-text = Please send it as a text message, or /cancel.
flow-invalid = ⚠️ { $reason }

add-ask-name = ➕ <b>New place</b> (step 1 of 3)
    Send its name, for example «Home» or «Dacha».
add-ask-timeout = ⏱ <b>{ $name }</b> (step 2 of 3)
    After how long without a heartbeat is the power off? Choose, or send your own: seconds (90) or minutes (3m).
btn-minutes = { $n } min
add-ask-channel = 📢 <b>{ $name }</b> (step 3 of 3)
    Which channel gets the alerts? Press «Choose a channel», forward any post from the channel, or send its @username or id (-100…). The bot must be an admin there with the rights «Post messages» and «Edit messages of others».
btn-pick-channel = 📢 Choose a channel
btn-skip-channel = Skip: use the default channel
btn-use-default-channel = Use the default channel
add-done = ✅ <b>{ $name }</b> is added, timeout { $timeout } s.
add-channel-linked = 📢 Alerts go to { $title }.
channel-default-used = 📢 Alerts go to the default channel { $channel }.
channel-no-default = 📢 No default channel is set (DEFAULT_CHANNEL_ID), so alerts for this place are not posted anywhere until you link a channel.
channel-hint = Press «Choose a channel», forward a post from the channel, or send its @username or id (-100…).
channel-forward-not-channel = That message was not forwarded from a channel. Forward a post from the channel itself.
channel-not-found = I cannot see that channel. Add the bot to the channel as an administrator first, then try again.
channel-not-channel = { $title } is not a channel. Alerts can only go to a channel.
channel-bot-not-member = The bot is not in { $title }. Add it to the channel as an administrator with the rights «Post messages» and «Edit messages of others».
channel-bot-not-admin = The bot is in { $title } but is not an administrator. Make it an admin with the rights «Post messages» and «Edit messages of others».
channel-rights-missing = The bot is an admin of { $title } but lacks the right { $missing }. Grant it in the channel's administrator settings, then try again.
channel-cannot-post = «Post messages» (needed for alerts)
channel-cannot-pin = «Edit messages of others» (needed to pin the daily diagram)
channel-unreachable = Telegram did not answer. Try again in a moment.
channel-ask = 📢 Channel for <b>{ $name }</b>. Now: { $current }
    Press «Choose a channel», forward a post from the channel, or send its @username or id (-100…).
channel-linked = 📢 Alerts for <b>{ $name }</b> now go to { $title }.

rename-ask = ✏️ New name for <b>{ $name }</b>?
renamed = ✏️ Renamed to <b>{ $name }</b>.
timeout-ask = ⏱ The timeout of <b>{ $name }</b> is { $timeout } s. Choose a new one, or send your own: seconds (90) or minutes (3m).
timeout-set = ⏱ The timeout of <b>{ $name }</b> is now { $timeout } s. The device should report every { $interval } s: «📟 ESP32 config» has the new config.h.

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
admin-add-ask = 👤 Who should become an admin? Press «Choose a person», forward me any message from them, or send their numeric Telegram id.
btn-pick-person = 👤 Choose a person
admin-add-hidden = Their privacy settings hide who they are in forwards. Press «Choose a person», or send their numeric id (they can get it from @userinfobot).
admin-add-not-id = Send a numeric Telegram id (digits only), forward a message from the person, or press «Choose a person».
admin-add-bot = A bot cannot be an admin.
admin-added = ✅ { $name } is an admin now. They can open this bot and send /start.
admin-already = { $name } is already an admin.

ui-language-title = 🌐 Choose the language of this chat.
ui-language-set = 🌐 This chat is in English now.

# Refusals of the place rules (src/locations/location-rules.ts)
location-error-name-empty = The name is empty. Type a short name such as "Home" or "Dacha".
location-error-name-too-long = The name is too long ({ $length } characters); keep it to { $max }.
location-error-name-control = The name contains control characters; use plain text.
location-error-timeout-unreadable = "{ $input }" is not a timeout. Send seconds (e.g. 90) or minutes with "m" (e.g. 5m), from { $min } s to 24 h.
location-error-timeout-range = A timeout of { $seconds } s is out of range: use { $min } s to 24 h. Shorter gives false alerts on a slow Wi-Fi; longer reports outages late.
location-error-channel-invalid = That is not a channel. Send its @username (e.g. @home_power) or its numeric id (e.g. -1001234567890).
location-error-language-invalid = Language must be one of: { $choices }.
location-error-place-missing = There is no such place (it may have been deleted).
location-error-no-channel = “{ $name }” has no channel to post the diagram to. Link a channel to it (or set DEFAULT_CHANNEL_ID) first.

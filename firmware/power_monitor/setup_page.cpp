#include "setup_page.h"

#include <string.h>

#include "setup_form.h"

namespace {

class HtmlOut {
 public:
  HtmlOut(char* out, size_t capacity) : out_(out), capacity_(capacity), length_(0), ok_(capacity > 0) {}

  void raw(const char* s) {
    while (*s != '\0') put(*s++);
  }

  // Text as it must appear in content or a double-quoted attribute.
  void text(const char* s) {
    if (s == nullptr) return;
    for (; *s != '\0'; s++) {
      switch (*s) {
        case '&': raw("&amp;"); break;
        case '<': raw("&lt;"); break;
        case '>': raw("&gt;"); break;
        case '"': raw("&quot;"); break;
        case '\'': raw("&#39;"); break;
        default: put(*s); break;
      }
    }
  }

  size_t finish() {
    if (!ok_) {
      if (capacity_ > 0) out_[0] = '\0';
      return 0;
    }
    out_[length_] = '\0';
    return length_;
  }

 private:
  void put(char c) {
    if (!ok_) return;
    if (length_ + 1 >= capacity_) {
      ok_ = false;
      return;
    }
    out_[length_++] = c;
  }

  char* out_;
  size_t capacity_;
  size_t length_;
  bool ok_;
};

const char kHead[] =
    "<!doctype html><html lang=\"uk\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>Монітор світла: налаштування · Power monitor setup</title>"
    "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem;line-height:1.45}"
    ".en{color:#555}label{display:block;margin-top:1rem;font-weight:600}"
    "input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}"
    "button{margin-top:1.25rem;padding:.6rem 1.4rem;font-size:1rem}"
    ".err{background:#fdecea;border:1px solid #e57373;padding:.6rem;border-radius:6px}"
    "small{color:#555;font-weight:400}</style></head><body>";

bool is(const char* a, const char* b) { return strcmp(a, b) == 0; }

}  // namespace

size_t escapeHtml(const char* text, char* out, size_t capacity) {
  HtmlOut html(out, capacity);
  html.text(text);
  return html.finish();
}

size_t buildSetupPage(const SetupPageInput& input, char* out, size_t capacity) {
  static const DeviceSettings kEmpty;
  const DeviceSettings& current = input.current != nullptr ? *input.current : kEmpty;
  const char* ssid = input.ssidTyped != nullptr ? input.ssidTyped : current.wifiSsid;
  const char* url = input.urlTyped != nullptr ? input.urlTyped : current.serverUrl;

  HtmlOut html(out, capacity);
  html.raw(kHead);
  html.raw("<h1>🔌 Монітор світла <span class=\"en\">· Power monitor</span></h1>");
  html.raw("<p>Плата <b>");
  html.text(input.deviceName);
  html.raw("</b>, прошивка ");
  html.text(input.firmwareVersion);
  html.raw(". <span class=\"en\">Board <b>");
  html.text(input.deviceName);
  html.raw("</b>, firmware ");
  html.text(input.firmwareVersion);
  html.raw(".</span></p>");

  if (input.problem != SettingsProblem::None) {
    html.raw("<p class=\"err\" role=\"alert\">");
    html.text(settingsProblemUk(input.problem));
    html.raw(" <span class=\"en\">");
    html.text(settingsProblemEn(input.problem));
    html.raw("</span></p>");
  }

  html.raw("<form method=\"post\" action=\"/save\">");

  html.raw("<label for=\"ssid\">Мережа Wi-Fi (2,4 ГГц) <small>· Wi-Fi network (2.4 GHz)</small></label>");
  html.raw("<input id=\"ssid\" name=\"ssid\" list=\"networks\" required maxlength=\"32\" autocomplete=\"off\" value=\"");
  html.text(ssid);
  html.raw("\"");
  if (is(input.problemField, "ssid")) html.raw(" autofocus");
  html.raw(">");
  if (input.networkCount > 0 && input.networks != nullptr) {
    html.raw("<datalist id=\"networks\">");
    for (size_t i = 0; i < input.networkCount; i++) {
      html.raw("<option value=\"");
      html.text(input.networks[i]);
      html.raw("\">");
    }
    html.raw("</datalist>");
  }

  html.raw("<label for=\"password\">Пароль Wi-Fi <small>· Wi-Fi password</small></label>");
  html.raw("<input id=\"password\" name=\"password\" type=\"password\" maxlength=\"64\" autocomplete=\"off\"");
  if (current.wifiPassword[0] != '\0') {
    html.raw(" placeholder=\"залиште порожнім, щоб не змінювати · leave empty to keep\"");
  }
  if (is(input.problemField, "password")) html.raw(" autofocus");
  html.raw(">");

  html.raw("<label for=\"server_url\">Адреса сервера <small>· Server address</small></label>");
  html.raw("<input id=\"server_url\" name=\"server_url\" type=\"url\" required maxlength=\"200\" "
           "placeholder=\"https://monitor.example.com\" autocomplete=\"off\" value=\"");
  html.text(url);
  html.raw("\"");
  if (is(input.problemField, "server_url")) html.raw(" autofocus");
  html.raw(">");

  html.raw("<label for=\"device_key\">Ключ пристрою з бота <small>· Device key from the bot</small></label>");
  html.raw("<input id=\"device_key\" name=\"device_key\" maxlength=\"128\" autocomplete=\"off\" spellcheck=\"false\"");
  const size_t keyLength = strlen(current.deviceKey);
  if (keyLength > 0) {
    // Only the last 4 characters, to recognise it by.
    html.raw(" placeholder=\"збережено: …");
    html.text(current.deviceKey + (keyLength > 4 ? keyLength - 4 : 0));
    html.raw(" · saved: …");
    html.text(current.deviceKey + (keyLength > 4 ? keyLength - 4 : 0));
    html.raw("\"");
  } else {
    html.raw(" required");
  }
  if (is(input.problemField, "device_key")) html.raw(" autofocus");
  html.raw(">");

  html.raw("<button type=\"submit\">Зберегти · Save</button></form>");
  html.raw("<p><small>Після збереження плата перезапуститься і підключиться до вашої мережі. "
           "Щоб повернутися сюди пізніше, утримуйте кнопку BOOT 5 секунд. "
           "<span class=\"en\">After saving, the board restarts and joins your network. "
           "To come back here later, hold the BOOT button for 5 seconds.</span></small></p>");
  html.raw("</body></html>");
  return html.finish();
}

size_t buildSavedPage(const char* ssid, char* out, size_t capacity) {
  HtmlOut html(out, capacity);
  html.raw(kHead);
  html.raw("<h1>✅ Збережено <span class=\"en\">· Saved</span></h1>");
  html.raw("<p>Плата перезапускається і підключається до мережі «");
  html.text(ssid);
  html.raw("». Коли вона вийде на зв'язок, бот напише про це. Якщо не вийде, плата знову відкриє свою точку доступу.</p>");
  html.raw("<p class=\"en\">The board restarts and joins the network \"");
  html.text(ssid);
  html.raw("\". When it checks in, the bot tells you. If it cannot connect, it opens its access point again.</p>");
  html.raw("</body></html>");
  return html.finish();
}

/**
 * The browser flasher page (/flash): Ukrainian first, English beside, as one bilingual page (no
 * login, so no language setting to go by). No key or other secret is in it: the board gets its
 * key from the person, who gets it from the bot. ESP Web Tools comes from this service itself.
 */

export interface FlasherPageInput {
  /** The release offered, or null when the folder holds none (then the page says so, with no button). */
  release: { name: string; version: string } | null;
}

/** Where the page loads ESP Web Tools from (served out of node_modules by flasher.ts). */
export const INSTALL_BUTTON_SCRIPT = '/flash/esp-web-tools/install-button.js';
export const MANIFEST_PATH = '/flash/manifest.json';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function renderFlasherPage(input: FlasherPageInput): string {
  const release = input.release;
  const install = release === null ? missingImage() : installBlock(release);
  return `<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>Прошивка плати ESP32 · Flash an ESP32 board</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
  h1 { font-size: 1.5rem; }
  .en { color: #555; }
  .box { border: 1px solid #ccc; border-radius: 8px; padding: 1rem 1.25rem; margin: 1.25rem 0; }
  .missing { border-color: #d9822b; background: #fff6ec; }
  button.install { font-size: 1.1rem; padding: 0.6rem 1.4rem; border-radius: 6px; border: 0; background: #1565c0; color: #fff; cursor: pointer; }
  code { background: #f2f2f2; padding: 0 0.25em; border-radius: 3px; }
  li { margin: 0.4rem 0; }
</style>
${release === null ? '' : `<script type="module" src="${INSTALL_BUTTON_SCRIPT}"></script>\n`}</head>
<body>
<h1>🔌 Прошивка плати ESP32 <span class="en">· Flash an ESP32 board</span></h1>
<p>Одна прошивка для всіх: Wi-Fi, адресу сервера і ключ пристрою ви введете вже після прошивки.
<span class="en">One firmware for everyone: you enter the Wi-Fi, the server address and the device key after flashing.</span></p>

<div class="box${release === null ? ' missing' : ''}">
${install}
</div>

<h2>Як це працює <span class="en">· How it works</span></h2>
<ol>
  <li>Підключіть плату ESP32 до комп'ютера кабелем USB, який передає дані (не лише заряджає). Потрібен Chrome або Edge на комп'ютері.
  <span class="en">Connect the ESP32 board to a computer with a USB cable that carries data (not a charge-only one). This needs Chrome or Edge on a computer.</span></li>
  <li>Натисніть «Встановити», виберіть порт плати і дочекайтеся кінця прошивки (близько хвилини). Якщо плата не з'єднується, затисніть на ній кнопку BOOT.
  <span class="en">Press Install, pick the board's port and wait until flashing ends (about a minute). If the board does not connect, hold its BOOT button.</span></li>
  <li>Одразу після прошивки ця сторінка запропонує підключити плату до Wi-Fi (Improv): виберіть мережу й введіть пароль. Потім відкрийте адресу плати, яку покаже сторінка, і введіть адресу сервера та ключ пристрою.
  <span class="en">Right after flashing this page offers to connect the board to Wi-Fi (Improv): pick the network and type its password. Then open the board's address the page shows and enter the server address and the device key.</span></li>
  <li>Або без Improv: плата сама відкриває точку доступу Wi-Fi <code>PowerMonitor-…</code>. Підключіться до неї телефоном, відкрийте <code>http://192.168.4.1</code> і заповніть форму: Wi-Fi (лише 2,4 ГГц), пароль, адресу сервера, ключ пристрою.
  <span class="en">Or without Improv: the board opens its own Wi-Fi access point <code>PowerMonitor-…</code>. Join it with a phone, open <code>http://192.168.4.1</code> and fill in the form: Wi-Fi (2.4 GHz only), password, server address, device key.</span></li>
  <li>Адресу сервера й ключ пристрою дає бот, у меню місця (ESP32). Ключ — лише для цієї плати; нікому його не пересилайте.
  <span class="en">The bot gives the server address and the device key, in the place's menu (ESP32). The key is for this board only; do not share it.</span></li>
  <li>Коли плата вийде на зв'язок, бот напише про це. Щоб змінити налаштування пізніше, утримуйте кнопку BOOT 5 секунд: плата знову відкриє точку доступу.
  <span class="en">When the board checks in, the bot tells you. To change the settings later, hold the BOOT button for 5 seconds: the board opens its access point again.</span></li>
</ol>

<h2 id="how-to-get">Де взяти образ прошивки <span class="en">· Getting the firmware image</span></h2>
<p>Образ збирає GitHub Actions проєкту (<code>.github/workflows/firmware.yml</code>) і викладає в реліз два файли: <code>power-monitor-esp32.bin</code> і <code>manifest.json</code>. Адміністратор сервера кладе обидва в теку прошивок сервісу (змінна <code>FIRMWARE_DIR</code>, типово <code>firmware/release</code>); перезапуск не потрібен.
<span class="en">The project's GitHub Actions workflow (<code>.github/workflows/firmware.yml</code>) builds the image and publishes two files in a release: <code>power-monitor-esp32.bin</code> and <code>manifest.json</code>. The server's admin puts both into the service's firmware folder (<code>FIRMWARE_DIR</code>, by default <code>firmware/release</code>); no restart is needed.</span></p>
<p>Без образу плату можна прошити з Arduino IDE з файлом <code>config.h</code> від бота (<code>firmware/README.md</code>).
<span class="en">Without the image, flash the board from the Arduino IDE with the <code>config.h</code> the bot sends (<code>firmware/README.md</code>).</span></p>
</body>
</html>
`;
}

function installBlock(release: { name: string; version: string }): string {
  return `<p><strong>${escapeHtmlText(release.name)} ${escapeHtmlText(release.version)}</strong></p>
<esp-web-install-button manifest="${MANIFEST_PATH}">
  <button slot="activate" class="install">Встановити · Install</button>
  <span slot="unsupported">Цей браузер не вміє прошивати плати (немає Web Serial): відкрийте сторінку в Chrome або Edge на комп'ютері.
  <span class="en">This browser cannot flash boards (no Web Serial): open this page in Chrome or Edge on a computer.</span></span>
  <span slot="not-allowed">Прошивка можлива лише через https:// (або з localhost): відкрийте сторінку за захищеною адресою.
  <span class="en">Flashing works only over https:// (or from localhost): open this page at its secure address.</span></span>
</esp-web-install-button>`;
}

function missingImage(): string {
  return `<p><strong>Образ прошивки ще не викладено на цей сервер, тож прошити з цієї сторінки поки не вийде.</strong>
<span class="en"><strong>The firmware image is not on this server yet, so this page cannot flash a board for now.</strong></span></p>
<p><a href="#how-to-get">Як його отримати</a> <span class="en">· <a href="#how-to-get">How to get it</a></span></p>`;
}

import { renderEsp32ConfigHeader } from '../esp32-config.js';
import { intervalLine, urlWarnings } from './common-words.js';
import { pick, type RecipeSpec } from './recipe.js';

/** This project's ESP32 firmware: config.h as the bot has always sent it, and the browser flasher. */
export const esp32Recipe: RecipeSpec = {
  kind: 'esp32',
  label: { uk: 'ESP32 з прошивкою проєкту', en: 'ESP32 with this project’s firmware' },
  mode: 'heartbeat',
  build(input) {
    const { locale } = input;
    const flasher = flasherUrl(input.heartbeatUrl);
    return {
      whereToPaste: pick(locale, {
        uk: 'Покладіть config.h поруч із power_monitor.ino, впишіть свою Wi-Fi і прошийте плату.',
        en: 'Put config.h next to power_monitor.ino, fill in your Wi-Fi and flash the board.',
      }),
      steps: [
        intervalLine(input),
        pick(locale, {
          uk: `Без Arduino IDE: відкрийте ${flasher} у Chrome або Edge, прошийте плату з браузера й введіть у її налаштуваннях Wi-Fi та ключ пристрою: ${input.key}`,
          en: `Without the Arduino IDE: open ${flasher} in Chrome or Edge, flash the board from the browser and enter your Wi-Fi and the device key in its setup: ${input.key}`,
        }),
      ],
      blocks: [
        {
          caption: 'config.h',
          text: renderEsp32ConfigHeader({ placeName: input.deviceName, serverUrl: input.heartbeatUrl, deviceKey: input.key, heartbeatIntervalS: input.intervalS, timeoutS: input.timeoutS }),
          fileName: 'config.h',
          language: 'c',
        },
      ],
      warnings: urlWarnings(input.heartbeatUrl, locale),
    };
  },
};

/** The flasher page the service serves: the heartbeat URL's origin + /flash. */
export function flasherUrl(heartbeatUrl: string): string {
  return heartbeatUrl.replace(/\/api\/heartbeat$/, '') + '/flash';
}

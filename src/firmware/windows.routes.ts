import { SecureRouter } from '../http/route.js';
import { FIRMWARE_MANAGERS as managers, FIRMWARE_READERS as readers } from './roles.js';
import { WindowList, WindowResponse } from './windows.responses.js';
import { WindowBody, WindowParams } from './windows.schemas.js';
import type { WindowsService } from './windows.service.js';

export function windowsRoutes(windows: WindowsService) {
  const api = new SecureRouter();
  api.get(
    '/firmware/windows',
    { allow: readers, doc: { summary: 'Maintenance windows by station', response: WindowList } },
    () => windows.list(),
  );
  api.put(
    '/firmware/windows/:station',
    {
      allow: managers,
      params: WindowParams,
      body: WindowBody,
      doc: {
        summary: "Sets a station's weekly maintenance window, in its time zone",
        problems: ['station-not-found'],
        response: WindowResponse,
      },
    },
    ({ params, body, ctx }) => windows.put(params.station, body, ctx),
  );
  api.delete(
    '/firmware/windows/:station',
    {
      allow: managers,
      params: WindowParams,
      doc: { summary: "Removes a station's window: any time", problems: ['firmware-window-not-found'] },
    },
    ({ params, ctx }) => windows.delete(params.station, ctx),
  );
  return api.router;
}

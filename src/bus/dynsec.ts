// Mosquitto's dynamic-security plugin, driven over MQTT: when the platform runs on an external
// Mosquitto (MQTT_URL with MQTT_MOSQUITTO_DYNSEC=true), issuing device credentials also creates or
// re-keys that client in the broker, with a role confining it to its own topics. The platform's
// service user must be a dynsec admin (see docs/mqtt.md, "Running on an external broker").
// Command format: https://github.com/eclipse/mosquitto/blob/master/plugins/dynamic-security/README.md
import type { MqttClient } from 'mqtt';
import { COMMAND_CHANNEL, deviceTopic, INTERNAL_EVENTS_ROOT, type DeviceRef } from './topics.js';

const CONTROL = '$CONTROL/dynamic-security/v1';

interface Response {
  responses: Array<{ command: string; error?: string }>;
}

/** The dynsec commands that make `username` a device limited to its own topics. */
export function deviceCommands(device: DeviceRef, username: string, password: string) {
  const own = deviceTopic(device, 'telemetry').replace(/\/telemetry$/, '');
  const acls = [
    ...['telemetry', 'events', 'status', 'acks'].map((c) => ({
      acltype: 'publishClientSend',
      topic: `${own}/${c}`,
      allow: true,
    })),
    { acltype: 'subscribeLiteral', topic: deviceTopic(device, COMMAND_CHANNEL), allow: true },
    // The event spine is for the platform's processes only. Denied by default already; said here
    // too, so that a broker whose default ACL access was opened up still keeps devices out.
    { acltype: 'publishClientSend', topic: `${INTERNAL_EVENTS_ROOT}/#`, allow: false },
    { acltype: 'subscribePattern', topic: `${INTERNAL_EVENTS_ROOT}/#`, allow: false },
  ];
  return [
    { command: 'createRole', rolename: username, acls },
    // Only with its own client id, as on the embedded broker (ownClientId; docs/mqtt.md, Identity).
    {
      command: 'createClient',
      username,
      password,
      clientid: username,
      roles: [{ rolename: username }],
    },
    // Run whether or not the client existed: new credentials replace the old password, and a
    // client created before the client id rule gets it.
    { command: 'setClientPassword', username, password },
    { command: 'setClientId', username, clientid: username },
  ];
}

/** Sends commands one batch at a time and checks the broker's answer. */
export class Dynsec {
  private queue: Promise<unknown> = Promise.resolve();
  private waiting: ((r: Response) => void) | null = null;

  constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      if (topic !== `${CONTROL}/response` || !this.waiting) return;
      const w = this.waiting;
      this.waiting = null;
      w(JSON.parse(payload.toString()) as Response);
    });
  }

  async start() {
    await this.client.subscribeAsync(`${CONTROL}/response`, { qos: 1 });
  }

  provisionDevice(device: DeviceRef, username: string, password: string): Promise<void> {
    const run = this.queue.then(() => this.send(deviceCommands(device, username, password)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(commands: object[]) {
    const answer = new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer from the dynamic-security plugin')), 5_000);
      this.waiting = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
    });
    await this.client.publishAsync(CONTROL, JSON.stringify({ commands }), { qos: 1 });
    const { responses } = await answer;
    // Creating what already exists is expected when credentials are re-issued.
    const failed = responses.filter((r) => r.error && !/already exists/i.test(r.error));
    if (failed.length > 0)
      throw new Error(`dynsec: ${failed.map((f) => `${f.command}: ${f.error}`).join('; ')}`);
  }
}

// A publish-only MQTT client for processes that only report (a `--role redaction` worker): it
// subscribes to nothing, so it does not receive the fleet's telemetry.
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';

export interface Publisher {
  publish(topic: string, payload: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function connectPublisher(url: string, username: string, password: string): Promise<Publisher> {
  const client = await mqtt.connectAsync(url, {
    username,
    password,
    clientId: `bwv-publisher-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  });
  return {
    async publish(topic, payload) {
      await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
    },
    async close() {
      await client.endAsync();
    },
  };
}

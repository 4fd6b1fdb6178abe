// The embedded broker's options from the configuration: listeners, limits, the service identity.
// Read before anything else starts, so that a missing certificate stops the start at once.
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.js';
import type { ThreadOptions } from './broker-thread.js';

export async function embeddedBrokerOptions(
  config: Config,
  service: { username: string; password: string },
): Promise<ThreadOptions> {
  const tls =
    config.MQTT_TLS_PORT === undefined
      ? undefined
      : {
          port: config.MQTT_TLS_PORT,
          cert: await readFile(config.MQTT_TLS_CERT_FILE!),
          key: await readFile(config.MQTT_TLS_KEY_FILE!),
        };
  return {
    broker: {
      port: config.MQTT_PORT,
      host: config.MQTT_HOST,
      tls,
      ws: config.MQTT_WS_PORT === undefined ? undefined : { port: config.MQTT_WS_PORT },
      maxPacketBytes: config.MQTT_MAX_PACKET_BYTES,
      service,
    },
    nice: config.MQTT_BROKER_NICE,
    logLevel: config.LOG_LEVEL,
  };
}

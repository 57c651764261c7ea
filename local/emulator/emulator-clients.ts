import { credentials } from "@grpc/grpc-js";
import { PubSub, v1 } from "@google-cloud/pubsub";

/** Where an emulator listens: `host` is "127.0.0.1:PORT", the PUBSUB_EMULATOR_HOST value. */
export interface EmulatorAddress {
  readonly host: string;
  readonly projectId: string;
}

/** The high-level client, pointed at the emulator explicitly (no reliance on process.env). */
export function emulatorPubSub(emulator: EmulatorAddress): PubSub {
  return new PubSub({ projectId: emulator.projectId, apiEndpoint: emulator.host, emulatorMode: true, universeDomain: UNIVERSE });
}

// Naming the universe up front stops google-auth from probing the GCE metadata server (a delay
// and a warning on every client) just to learn the default.
const UNIVERSE = "googleapis.com";

function grpcOptions(emulator: EmulatorAddress) {
  const [servicePath, port] = emulator.host.split(":");
  return { servicePath, port: Number(port), sslCreds: credentials.createInsecure(), projectId: emulator.projectId, universeDomain: UNIVERSE };
}

/** The generated clients, for synchronous pull and exact admin calls the high-level client hides. */
export function emulatorGapicClients(emulator: EmulatorAddress) {
  const opts = grpcOptions(emulator);
  return {
    publisher: new v1.PublisherClient(opts),
    subscriber: new v1.SubscriberClient(opts),
    schemas: new v1.SchemaServiceClient(opts),
    async close() {
      await Promise.all([this.publisher.close(), this.subscriber.close(), this.schemas.close()]);
    },
  };
}

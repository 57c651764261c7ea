import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { join } from "node:path";
import { zetaSqlPackageDir } from "./server";

/** A promise-returning view of ZetaSqlLocalService; requests and replies are plain objects (snake_case). */
export interface ZetaSqlRpc {
  /** `onRequestBytes` is told the exact serialized size of the request (bytes), e.g. to report it. */
  call<T = Record<string, unknown>>(method: string, request: object, opts?: { onRequestBytes?: (bytes: number) => void }): Promise<T>;
  close(): void;
}

/** A ZetaSQL error with ZetaSQL's own message (gRPC `details`), e.g. "Unrecognized name: amout; Did you mean amount?". */
export class ZetaSqlError extends Error {
  constructor(
    message: string,
    readonly grpcCode?: number,
  ) {
    super(message);
    this.name = "ZetaSqlError";
  }
}

let serviceCtor: grpc.ServiceClientConstructor | undefined;

function loadService(): grpc.ServiceClientConstructor {
  if (serviceCtor) return serviceCtor;
  const definition = protoLoader.loadSync("local_service.proto", {
    includeDirs: [join(zetaSqlPackageDir(), "protos")],
    keepCase: true, // proto field names, as ZetaSQL documents them
    longs: String, // int64 values round-trip without precision loss
    enums: String,
    bytes: Buffer,
    defaults: false,
    oneofs: false,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    zetasql: { local_service: { ZetaSqlLocalService: grpc.ServiceClientConstructor } };
  };
  serviceCtor = pkg.zetasql.local_service.ZetaSqlLocalService;
  return serviceCtor;
}

/** Connects to a remote_server at `address` (host:port); waits until the channel is ready. */
export async function connectZetaSqlRpc(address: string, readyTimeoutMs = 10000): Promise<ZetaSqlRpc> {
  const Service = loadService();
  // Table contents of 100k+ rows travel in one message: lift gRPC's 4 MB default.
  const client = new Service(address, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": -1,
    "grpc.max_send_message_length": -1,
  });
  await new Promise<void>((resolve, reject) =>
    client.waitForReady(Date.now() + readyTimeoutMs, (e) =>
      e ? reject(new Error(`ZetaSQL server at ${address} not reachable: ${e.message}`)) : resolve(),
    ),
  );
  const rpc: ZetaSqlRpc = {
    call<T>(method: string, request: object, opts: { onRequestBytes?: (bytes: number) => void } = {}): Promise<T> {
      const def = Service.service[method];
      // Serialize through our own hook so the exact request size is known (the 4 MiB limit below).
      const serialize = (req: object): Buffer => {
        const bytes = def.requestSerialize(req);
        opts.onRequestBytes?.(bytes.length);
        return bytes;
      };
      return new Promise<T>((resolve, reject) =>
        client.makeUnaryRequest(def.path, serialize, def.responseDeserialize, request, (e, r) =>
          e ? reject(new ZetaSqlError(explain(e, request), e.code)) : resolve(r as T),
        ),
      );
    },
    close: () => client.close(),
  };
  return rpc;
}

// remote_server keeps gRPC's default 4 MiB receive limit (not configurable; compression does not help:
// it checks the decompressed size), so a request carrying large tables is refused: say so plainly.
function explain(e: grpc.ServiceError, request: object): string {
  const details = e.details || e.message;
  if (e.code !== grpc.status.RESOURCE_EXHAUSTED || !/larger than max/.test(details)) return details;
  const content = (request as { table_content?: Record<string, { table_data?: { row?: unknown[] } }> }).table_content ?? {};
  const sizes = Object.entries(content).map(([t, c]) => `${t}: ${c.table_data?.row?.length ?? 0} rows`);
  return `${details}: ZetaSQL's remote_server accepts at most 4 MiB per request, and this one carries ${sizes.join(", ") || "no table rows"}; evaluate fewer rows (one partition, fewer columns) per statement`;
}

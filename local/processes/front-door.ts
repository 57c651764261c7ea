import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** How long a request waits for a function that is restarting before it is answered 503. Default: 30 s. */
export interface FrontDoorOptions {
  holdMs?: number;
}

const RETRY_AFTER_REFUSED_MS = 25;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The stable loopback address of a supervised function, as Cloud Run's front end is for an instance:
 * requests are forwarded to the current process, and held (not refused) while it restarts. Refused
 * connections made the emulator back a push subscription off for ~20 s after each crash; held
 * requests are served as soon as the new process listens. A request the dying process had already
 * taken is answered 503 (the push is redelivered; the write, if it happened, dedupes on event_id).
 */
export class FrontDoor {
  private server: Server | undefined;
  private backend: number | undefined;
  private readonly waiting = new Set<() => void>();
  private readonly agent = new Agent({ keepAlive: true });
  private closed = false;

  constructor(private readonly opts: FrontDoorOptions = {}) {}

  /** Listens on 127.0.0.1:port. */
  async listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  /** The port of the process now serving; undefined while there is none (requests are held). */
  setBackend(port: number | undefined): void {
    this.backend = port;
    if (port !== undefined) for (const wake of [...this.waiting]) wake();
  }

  /** Stops listening; held requests are answered 503. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiting]) wake();
    this.agent.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const deadline = Date.now() + (this.opts.holdMs ?? 30_000);
    for (;;) {
      const port = await this.backendBefore(deadline);
      if (port === undefined) return void res.writeHead(503).end(this.closed ? "function stopped" : "function restarting");
      const outcome = await forward(port, req, body, res, this.agent);
      if (outcome === "answered") return;
      // Refused: the process died before taking the request; the supervisor is restarting it.
      if (this.backend === port) await sleep(RETRY_AFTER_REFUSED_MS);
    }
  }

  private async backendBefore(deadline: number): Promise<number | undefined> {
    while (this.backend === undefined && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiting.add(wake);
      });
    }
    return this.closed ? undefined : this.backend;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** "refused": nothing reached the process (safe to send again); "answered": `res` is answered. */
function forward(port: number, req: IncomingMessage, body: Buffer, res: ServerResponse, agent: Agent): Promise<"refused" | "answered"> {
  return new Promise((resolve) => {
    const out = request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: { ...req.headers, "content-length": String(body.length) }, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on("end", () => resolve("answered"));
      answer.on("error", () => {
        res.destroy();
        resolve("answered");
      });
    });
    out.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ECONNREFUSED") return resolve("refused");
      // The process died holding the request: it may or may not have acted on it. Pub/Sub redelivers a 503.
      if (!res.headersSent) res.writeHead(503).end("function crashed while handling the request");
      else res.destroy();
      resolve("answered");
    });
    out.end(body);
  });
}

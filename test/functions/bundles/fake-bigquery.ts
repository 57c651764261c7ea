import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What one test table answers to a query that reads it (matched by its `dataset.table` name in the SQL). */
export type FakeTables = Record<string, Record<string, string | null>[]>;

export interface FakeBigQuery {
  /** Value for BIGQUERY_EMULATOR_HOST (REST calls) and, without the scheme, GCE_METADATA_HOST (its access token). */
  readonly host: string;
  /** Rows the client sent with insertAll, per `dataset.table`. */
  readonly inserted: Map<string, Record<string, unknown>[]>;
  /** SQL of every query job the client created. */
  readonly queries: string[];
  /** Requests this fake does not know (method and path): a test fails on any. */
  readonly unknown: string[];
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * The BigQuery REST API cannot run here, so the bundle smoke test answers at the client boundary:
 * the metadata server's token, jobs.insert + jobs.getQueryResults (rows of the table the SQL names, all STRING columns; none for
 * other queries) and tabledata.insertAll (recorded). The deployed code above the HTTP client is real.
 */
export async function startFakeBigQuery(tables: FakeTables, projectId: string): Promise<FakeBigQuery> {
  const inserted = new Map<string, Record<string, unknown>[]>();
  const queries: string[] = [];
  const unknown: string[] = [];
  const jobs = new Map<string, Record<string, string | null>[]>();
  let nextJob = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      let m: RegExpExecArray | null;
      // The client authenticates as on Cloud Run: a token from the metadata server (GCE_METADATA_HOST).
      if (url.pathname.startsWith("/computeMetadata/v1/")) {
        res.setHeader("Metadata-Flavor", "Google");
        if (url.pathname.endsWith("/service-accounts/default/token")) return send(200, { access_token: "fake-token", expires_in: 3600, token_type: "Bearer" });
        if (url.pathname.endsWith("/project/project-id")) return res.writeHead(200, { "content-type": "text/plain" }).end(projectId);
      }
      if (req.method === "POST" && (m = /\/projects\/([^/]+)\/jobs$/.exec(url.pathname))) {
        const job = (await bodyOf(req)) as { configuration?: { query?: { query?: string } }; jobReference?: { jobId?: string; location?: string } };
        const sql = job.configuration?.query?.query ?? "";
        queries.push(sql);
        const jobId = job.jobReference?.jobId ?? `job-${++nextJob}`;
        jobs.set(jobId, Object.entries(tables).find(([name]) => sql.includes(name))?.[1] ?? []);
        const reference = { projectId: m[1], jobId, location: job.jobReference?.location };
        return send(200, { kind: "bigquery#job", id: `${m[1]}:${jobId}`, jobReference: reference, configuration: job.configuration, status: { state: "DONE" }, statistics: { query: { totalBytesProcessed: "0" } } });
      }
      if (req.method === "GET" && (m = /\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(url.pathname))) {
        const rows = jobs.get(decodeURIComponent(m[2])) ?? [];
        const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
        return send(200, {
          kind: "bigquery#getQueryResultsResponse",
          jobReference: { projectId: m[1], jobId: m[2] },
          jobComplete: true,
          totalRows: String(rows.length),
          schema: { fields: columns.map((name) => ({ name, type: "STRING", mode: "NULLABLE" })) },
          rows: rows.map((r) => ({ f: columns.map((c) => ({ v: r[c] ?? null })) })),
        });
      }
      if (req.method === "POST" && (m = /\/projects\/[^/]+\/datasets\/([^/]+)\/tables\/([^/]+)\/insertAll$/.exec(url.pathname))) {
        const { rows = [] } = (await bodyOf(req)) as { rows?: { json: Record<string, unknown> }[] };
        const table = `${m[1]}.${m[2]}`;
        inserted.set(table, [...(inserted.get(table) ?? []), ...rows.map((r) => r.json)]);
        return send(200, { kind: "bigquery#tableDataInsertAllResponse" });
      }
      unknown.push(`${req.method} ${url.pathname}`);
      send(404, { error: { code: 404, message: `fake BigQuery does not serve ${req.method} ${url.pathname}` } });
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    inserted,
    queries,
    unknown,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

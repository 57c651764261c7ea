import { randomUUID } from "node:crypto";
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync, writeFileSync, type Stats } from "node:fs";
import { join } from "node:path";
import { ZETASQL_TYPE_KIND } from "../../contracts/derive/zetasql-catalog";
import type { FieldDef } from "../../contracts/field";
import { tableId, type TableContract, type TableId } from "../../contracts/table";
import { TABLES } from "../../contracts/tables";
import type { InsertOptions, InsertResult, QueryParam, QueryResult, Row, RowFailure, Warehouse } from "../../functions/runtime/warehouse";
import { encodeValue } from "../zetasql/values";
import { AppendQueue } from "./append-queue";
import { withTableLocks } from "./table-lock";
import type { ZetaSql } from "../zetasql/zetasql";

export interface LocalWarehouseProps {
  /** Folder holding one JSON-lines file per table (`dataset.table.jsonl`); created if missing. */
  stateDir: string;
  /** ZetaSQL connection that evaluates queries and DML (see local/zetasql `startZetaSql`). */
  zetasql: ZetaSql;
  /** Tables it holds. Default: every contract table (contracts/tables.ts TABLES). */
  tables?: readonly TableContract[];
}

/**
 * The Warehouse port for local runs: rows of the contract's tables kept as JSON lines on disk (they
 * survive a restart), BigQuery SQL evaluated by ZetaSQL over them, so the same SQL text runs here
 * and in BigQuery. Like BigQuery insertAll with skipInvalidRows, an invalid row is reported in
 * `failed` (naming table and field) and the valid rows are written.
 */
export class LocalWarehouse implements Warehouse {
  private readonly contracts: Map<string, TableContract>;
  /**
   * Rows read so far per table, and how far into which file: other processes append to the same files.
   * `epoch` numbers each fresh read of a table (after a rewrite): the rows of one epoch only grow.
   */
  private readonly loaded = new Map<string, LoadedTable>();
  private epochs = 0;
  // Version tokens of two instances never collide, so a shared ZetaSql's view cache stays exact.
  private readonly instance = randomUUID();
  /** insertIds seen in this process, per table: BigQuery's best-effort dedupe window. */
  private readonly seenInsertIds = new Map<string, Set<string>>();
  /** One appender per table file: this process's concurrent inserts share a locked write. */
  private readonly appends = new Map<string, AppendQueue>();

  constructor(private readonly props: LocalWarehouseProps) {
    this.contracts = new Map<string, TableContract>((props.tables ?? (TABLES as unknown as readonly TableContract[])).map((t) => [tableId(t), t]));
    mkdirSync(props.stateDir, { recursive: true });
  }

  async insertRows(table: TableId, rows: Row[], opts: InsertOptions = {}): Promise<InsertResult> {
    const contract = this.contract(table);
    if (opts.insertIds && opts.insertIds.length !== rows.length) {
      throw new Error(`insertRows(${table}): ${opts.insertIds.length} insertIds for ${rows.length} rows`);
    }
    const seen = this.seenInsertIds.get(table) ?? new Set<string>();
    this.seenInsertIds.set(table, seen);
    const failed: RowFailure[] = [];
    const accepted: Row[] = [];
    rows.forEach((row, index) => {
      const problem = rowProblem(table, contract, row);
      if (problem) return void failed.push({ index, reason: problem, retryable: false });
      const id = opts.insertIds?.[index];
      if (id !== undefined) {
        if (seen.has(id)) return; // already written: skipped, and not a failure (as BigQuery)
        seen.add(id);
      }
      accepted.push(row);
    });
    // The file is the truth: rows() picks the appended lines up with whatever other processes wrote.
    // Appended under the table's lock: a concurrent rewrite (DML in another process) cannot drop them.
    if (accepted.length > 0) await this.append(table, accepted);
    return { inserted: rows.length - failed.length, failed };
  }

  async query<T extends Row = Row>(sql: string, params: Record<string, QueryParam> = {}): Promise<QueryResult<T>> {
    const zs = this.props.zetasql;
    const [kind, ids] = await Promise.all([zs.statementKind(sql), zs.referencedTables(sql)]);
    const tables: Record<string, Row[]> = {};
    const versions: Record<string, string> = {};
    for (const id of ids) {
      if (!this.contracts.has(id)) continue;
      tables[id] = this.rows(id);
      versions[id] = this.version(id);
    }
    if (kind === "query") {
      const out = await zs.evaluateQuery(sql, tables, params, { versions });
      return { rows: out.rows as T[] };
    }
    // DML reads, evaluates and writes under the locks of every table it references, so two
    // processes' statements apply one after the other and neither undoes the other's rows.
    return withTableLocks(
      Object.keys(tables).map((id) => this.file(id)),
      async () => {
        for (const id of Object.keys(tables)) tables[id] = this.rows(id);
        const { table, changes } = await zs.evaluateModify(sql, tables, params);
        if (changes.every((c) => c.operation === "INSERT")) {
          // Insert-only DML (INSERT, the repair MERGE) appends like insertRows: nothing to rewrite.
          if (changes.length > 0) appendFileSync(this.file(table), changes.map((c) => JSON.stringify(dropNulls(c.row!)) + "\n").join(""));
          return { rows: [], affectedRows: changes.length };
        }
        const current = this.rows(table);
        const removed = new Set<number>();
        const next = [...current];
        for (const c of changes) {
          if (c.operation === "DELETE") removed.add(c.index!);
          else if (c.operation === "UPDATE") next[c.index!] = dropNulls(c.row!);
        }
        const kept = next.filter((_, i) => !removed.has(i));
        kept.push(...changes.filter((c) => c.operation === "INSERT").map((c) => dropNulls(c.row!)));
        this.rewrite(table, kept);
        return { rows: [], affectedRows: changes.length };
      },
    );
  }

  private append(table: string, rows: Row[]): Promise<void> {
    const file = this.file(table);
    let queue = this.appends.get(file);
    if (!queue) this.appends.set(file, (queue = new AppendQueue(file)));
    return queue.append(rows.map((r) => JSON.stringify(r) + "\n").join(""));
  }

  /**
   * Every stored row of a table, in insertion order. Re-reads only what was appended to the file since
   * the last call (by this process or another, e.g. a function process), and the whole file after a
   * DML rewrite replaced it.
   */
  rows(table: string): Row[] {
    this.contract(table);
    // Stat and read through one descriptor: a rewrite renamed over the path in between must not mix
    // the old file's size with the new file's bytes.
    const fd = openIfExists(this.file(table));
    try {
      const stat = fd === undefined ? undefined : fstatSync(fd);
      let cached = this.loaded.get(table);
      if (!cached || (stat && (stat.ino !== cached.ino || stat.size < cached.bytes || !readFd(fd!, cached.bytes - cached.sample.length, cached.bytes).equals(cached.sample)))) {
        // A new file: rewritten, or rewritten onto a reused inode (then the bytes before where this
        // instance stopped reading differ from those it read).
        cached = { rows: [], ino: stat?.ino ?? -1, bytes: 0, epoch: ++this.epochs, sample: Buffer.alloc(0) };
        this.loaded.set(table, cached);
      }
      if (fd !== undefined && stat && stat.size > cached.bytes) {
        const tail = readFd(fd, cached.bytes, stat.size);
        const complete = tail.lastIndexOf("\n") + 1; // a line still being appended is read next time
        for (const line of tail.subarray(0, complete).toString("utf8").split("\n")) {
          if (line !== "") cached.rows.push(JSON.parse(line) as Row);
        }
        cached.bytes += complete;
        cached.sample = lastBytes(Buffer.concat([cached.sample, tail.subarray(0, complete)]));
      }
      return cached.rows;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private contract(table: string): TableContract {
    const c = this.contracts.get(table);
    if (!c) throw new Error(`unknown table ${table}: the local warehouse holds ${[...this.contracts.keys()].join(", ")}`);
    return c;
  }

  private file(table: string): string {
    return join(this.props.stateDir, `${table}.jsonl`);
  }

  /**
   * Replaces the table's file atomically (write then rename), so a crash never leaves half a table.
   * Called under the table's lock; the temp name is unique per call, so even a writer that does not
   * take the lock cannot rename another's half-written file. Lines appended without the lock while
   * the new file was written are carried over just before the rename.
   */
  private rewrite(table: string, rows: Row[]): void {
    const file = this.file(table);
    const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    const readUpTo = this.loaded.get(table)?.bytes ?? 0;
    let text = rows.map((r) => JSON.stringify(r) + "\n").join("");
    writeFileSync(tmp, text);
    const size = statOrUndefined(file)?.size ?? 0;
    if (size > readUpTo) {
      const tail = readFrom(file, readUpTo, size);
      const complete = tail.subarray(0, tail.lastIndexOf("\n") + 1).toString("utf8");
      appendFileSync(tmp, complete);
      text += complete;
      for (const line of complete.split("\n")) if (line !== "") rows.push(JSON.parse(line) as Row);
    }
    renameSync(tmp, file);
    this.loaded.set(table, { rows, ino: statSync(file).ino, bytes: Buffer.byteLength(text), epoch: ++this.epochs, sample: lastBytes(Buffer.from(text)) });
  }

  /**
   * A token naming the rows rows(table) last returned: it changes with every row appended (here or by
   * another process) and every rewrite. Not the file's inode: a rewrite may get a freed inode back.
   */
  version(table: string): string {
    if (!this.loaded.has(table)) this.rows(table);
    const loaded = this.loaded.get(table)!;
    return `${this.instance}:${loaded.epoch}:${loaded.bytes}`;
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** Rows read so far from a table's file, and how far into which file. */
interface LoadedTable {
  rows: Row[];
  ino: number;
  bytes: number;
  epoch: number;
  /** The last bytes read (up to SAMPLE_BYTES before `bytes`): tells a reused inode from the file read. */
  sample: Buffer;
}

const SAMPLE_BYTES = 512;
const lastBytes = (b: Buffer): Buffer => Buffer.from(b.subarray(Math.max(0, b.length - SAMPLE_BYTES)));

function openIfExists(file: string): number | undefined {
  try {
    return openSync(file, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function readFrom(file: string, start: number, end: number): Buffer {
  const fd = openSync(file, "r");
  try {
    return readFd(fd, start, end);
  } finally {
    closeSync(fd);
  }
}

function readFd(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.alloc(end - start);
  let off = 0;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, start + off);
    if (n === 0) break;
    off += n;
  }
  return buf.subarray(0, off);
}

/** Why a row does not fit the table's contract, naming the table and the field; undefined if it fits. */
export function rowProblem(table: string, contract: TableContract, row: Row): string | undefined {
  for (const name of Object.keys(row)) {
    if (!(name in contract.fields)) return `${table}: unknown column ${name} (not in the contract)`;
  }
  for (const [name, f] of Object.entries(contract.fields) as [string, FieldDef][]) {
    const v = row[name];
    if (v === null || v === undefined) {
      if (f.mode === "REQUIRED") return `${table}.${name}: required ${f.type} is missing`;
      continue;
    }
    try {
      encodeValue(v, { type_kind: ZETASQL_TYPE_KIND[f.type] });
    } catch (e) {
      return `${table}.${name}: ${(e as Error).message}`;
    }
  }
  return undefined;
}

// ZetaSQL returns every column; stored rows omit NULLs like the rows writers insert.
function dropNulls(row: Row): Row {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
}

/** Something IAM roles can be granted to: its member string and a stable name for the grant's construct id. */
export interface Grantee {
  /** IAM member, e.g. `serviceAccount:fn-enrichment@p.iam.gserviceaccount.com`. */
  readonly member: string;
  /** Short stable name, used in construct ids of grants, e.g. "enrichment". */
  readonly granteeName: string;
}

/** One thing `logship rollback <target> --to ID` can go back to. */
export interface Release {
  /** Lambda version number, or the image digest for App Runner / ECS. */
  id: string;
  /** Image the release runs (repo@sha256:… or sha256:…). */
  image?: string;
  createdAt?: string;
  /** Is it what serves traffic now? */
  live: boolean;
  description?: string;
  /** ARCHIVED or ACTIVATING when ECR holds the image in its archive: not pullable until restored. */
  storage?: string;
}

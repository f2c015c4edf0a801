import type { AuthOutcome } from '../token/types.js'

/** What the secure port asks for each TokenReview; never throws for a bad token. */
export interface TokenReviewer {
  /**
   * `audiences` are the TokenReview's `spec.audiences` (the API server's own
   * audiences, not OIDC client ids): they never change the outcome, but the
   * result cache keys on them as kube-apiserver's token cache does.
   * An answer at hand (a cache hit) may come back as the outcome itself
   * rather than a promise of it.
   */
  review(token: string, audiences: readonly string[]): AuthOutcome | Promise<AuthOutcome>
}

/**
 * Per-issuer readiness, reported by `/readyz?verbose` as Kubernetes-style
 * conditions (pinniped's jwtcachefiller: `DiscoveryValid`, `JWKSFetchValid`,
 * `Ready`). kube-apiserver has no such signal; token semantics do not depend on it.
 */

export interface IssuerCondition {
  type: 'DiscoveryValid' | 'JWKSFetchValid' | 'Ready'
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastTransitionTime?: string
}

export interface IssuerStatus {
  url: string
  issuerHash: string
  /** Discovery succeeded and a key set is loaded. */
  ready: boolean
  conditions: IssuerCondition[]
  lastSuccessfulKeyFetch?: string
  lastError?: string
}

/** Keeps conditions and their transition times. */
export class ConditionSet {
  private readonly conditions = new Map<IssuerCondition['type'], IssuerCondition>()

  constructor(private readonly now: () => Date) {
    for (const type of ['DiscoveryValid', 'JWKSFetchValid', 'Ready'] as const) {
      this.conditions.set(type, {
        type,
        status: 'Unknown',
        reason: 'Pending',
        message: 'not attempted yet',
      })
    }
  }

  set(
    type: IssuerCondition['type'],
    status: IssuerCondition['status'],
    reason: string,
    message: string,
  ): void {
    const previous = this.conditions.get(type)
    const changed = previous === undefined || previous.status !== status
    const lastTransitionTime = changed ? this.now().toISOString() : previous.lastTransitionTime
    this.conditions.set(type, {
      type,
      status,
      reason,
      message,
      ...(lastTransitionTime !== undefined ? { lastTransitionTime } : {}),
    })
  }

  get(type: IssuerCondition['type']): IssuerCondition | undefined {
    return this.conditions.get(type)
  }

  list(): IssuerCondition[] {
    return [...this.conditions.values()].map((c) => ({ ...c }))
  }
}

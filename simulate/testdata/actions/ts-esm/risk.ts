export enum Verdict {
  Pass,
  StepUp,
  Block,
}

export type LoginSignals = {
  country: string;
  confidence: string;
  vip: boolean;
};

const delay = (): Promise<void> => Promise.resolve();

export class RiskScorer {
  #blocked: Set<string>;
  #home: Set<string>;
  count = 0;

  constructor(blocked: string[], home: string[]) {
    this.#blocked = new Set(blocked);
    this.#home = new Set(home);
  }

  async score(s: LoginSignals): Promise<Verdict> {
    this.count++;
    await delay();
    if (this.#blocked.has(s.country)) return Verdict.Block;
    if (s.vip || s.confidence === 'low' || !this.#home.has(s.country)) return Verdict.StepUp;
    return Verdict.Pass;
  }
}

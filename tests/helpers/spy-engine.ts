/** The real engine wrapped so a test can read every turn and its replies (adapter tests steer by them). */
import type { Engine } from "../../src/engine-api.ts";
import type { Reply, Turn } from "../../src/types.ts";

/** Passes each turn to the inner engine and keeps the turns and their replies, in order. */
export class SpyEngine implements Engine {
  readonly turns: Turn[] = [];
  readonly replies: Reply[][] = [];
  constructor(private readonly inner: Engine) {}
  async handle(turn: Turn): Promise<Reply[]> {
    this.turns.push(turn);
    const replies = await this.inner.handle(turn);
    this.replies.push(replies);
    return replies;
  }
  apology(): Reply {
    return this.inner.apology();
  }
}

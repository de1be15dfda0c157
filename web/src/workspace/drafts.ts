// The draft change set the portal's map edits of a collection go into: the user's
// draft of that title, found or made on the first edit, until it is submitted.
// Uploads make change sets of their own, so they never mix with map edits.
import type { Api } from '../api';

export function draftTitle(collection: string): string {
  return `Edits of ${collection} from the portal`;
}

export class Drafts {
  private ids = new Map<string, number>();

  constructor(private readonly api: Api) {}

  // Forgets one collection's draft (submitted, or refused by the server), or all
  // of them (a new user).
  forget(collection?: string): void {
    if (collection) this.ids.delete(collection);
    else this.ids.clear();
  }

  async of(collection: string, user: string): Promise<number> {
    const known = this.ids.get(collection);
    if (known !== undefined) return known;
    const open = await this.api.changeSets({ state: 'draft', collection, author: user, limit: '100' });
    const draft = open.changeSets.find((c) => c.title === draftTitle(collection)) ??
      await this.api.createChangeSet(collection, draftTitle(collection));
    this.ids.set(collection, draft.id);
    return draft.id;
  }
}

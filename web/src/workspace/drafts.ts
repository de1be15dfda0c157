// The draft change set an editor's edits of a collection go into, found or made
// on the first edit, until it is submitted.
import type { Api, ChangeSet } from '../api';

export class Drafts {
  private ids = new Map<string, number>();

  constructor(private readonly api: Api) {}

  forget(collection?: string): void {
    if (collection) this.ids.delete(collection);
    else this.ids.clear();
  }

  async of(collection: string, user: string): Promise<number> {
    const known = this.ids.get(collection);
    if (known !== undefined) return known;
    const open = await this.api.changeSets({ state: 'draft', collection, author: user });
    let draft: ChangeSet | undefined = open.changeSets[0];
    if (!draft) draft = await this.api.createChangeSet(collection, `Edits of ${collection} from the portal`);
    this.ids.set(collection, draft.id);
    return draft.id;
  }
}

// Sortable unique ids for conversations and messages (time prefix keeps files in creation order).
import { randomUUID } from 'node:crypto';

export function newId(): string {
  return `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../../config.ts';
import type { AttachmentRecords } from '../../services/attachments/records.ts';
import { type ItemsStore, openItemsStore } from '../../services/items/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The items store ITEMS_STORE chose (ADR 0092): routes, /ready and the demo seed share it. */
    items: ItemsStore;
    /** The items' attachment records, in the same database (ADR 0170). */
    attachmentRecords: AttachmentRecords;
  }
}

export const itemsPlugin = fp(
  async (app: FastifyInstance, opts: { config: AppConfig }) => {
    const opened = await openItemsStore(opts.config, app.db);
    app.decorate('items', opened.store);
    app.decorate('attachmentRecords', opened.attachments);
    app.addHook('onClose', async () => opened.close());
  },
  { name: 'items', dependencies: ['db'] },
);

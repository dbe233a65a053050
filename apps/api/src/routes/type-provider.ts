import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyTypeProvider } from 'fastify';

/**
 * Types request/response from the TypeBox schemas of @app/api-contract. The contract is written with
 * @sinclair/typebox 0.34, while @fastify/type-provider-typebox 6 infers with `typebox` 1.x, whose
 * Static does not understand 0.34 schemas; this is the same provider over the contract's own Static.
 */
export interface ContractTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

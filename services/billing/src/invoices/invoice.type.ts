import { Connection } from '@csp/kernel';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An issued invoice.' })
export class Invoice {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class InvoiceConnection extends Connection(Invoice) {}

import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { TicketSeverity } from '../tickets/ticket.enums';

@ObjectType({ description: 'A handler\'s response targets for one severity.' })
export class SupportTarget {
  @Field(() => TicketSeverity) severity!: TicketSeverity;
  @Field(() => Int) firstResponseMinutes!: number;
  @Field(() => Int) resolutionMinutes!: number;
}

@InputType()
export class SupportTargetInput {
  @Field(() => TicketSeverity) severity!: TicketSeverity;
  @Field(() => Int, { description: '1 to 129600 (90 days).' }) firstResponseMinutes!: number;
  @Field(() => Int, { description: '1 to 129600, not less than firstResponseMinutes.' }) resolutionMinutes!: number;
}

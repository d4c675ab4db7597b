import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: "The platform's current time, as every service and worker sees it." })
export class ClockState {
  @Field() now!: Date;
  @Field({ description: 'True when TEST_CLOCK=enabled: the operator may move time forward.' }) testClock!: boolean;
}

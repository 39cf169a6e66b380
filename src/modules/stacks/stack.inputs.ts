import { IsNotEmpty, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateStackInput {
  @Field()
  @Length(1, 100)
  @IsNotEmpty({ message: 'name must not be blank' })
  name: string;

  @Field({ defaultValue: 'production' })
  @Length(1, 50)
  environment: string;
}

@InputType()
export class UpdateStackInput {
  @Field({ nullable: true })
  @Length(1, 100)
  name?: string;

  @Field({ nullable: true })
  @Length(1, 50)
  environment?: string;
}

@ArgsType()
export class StackIdArgs {
  @Field(() => ID)
  @MaxLength(36)
  stackId: string;
}

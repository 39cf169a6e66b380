import { ArrayMaxSize, ArrayMinSize, IsEmail, Length, MaxLength } from 'class-validator';
import { Field, InputType, ObjectType } from 'type-graphql';
import { EmailAddressResolver } from 'graphql-scalars';
import { ApiToken, Scope } from './api-token.entity';
import { Role } from './user.entity';

@InputType()
export class AddUserInput {
  @Field(() => EmailAddressResolver)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @Field()
  @Length(1, 100)
  name: string;

  @Field(() => Role, { defaultValue: Role.MEMBER })
  role: Role;
}

@InputType()
export class CreateApiTokenInput {
  @Field({ description: 'What the token is for, e.g. "deployer".' })
  @Length(1, 100)
  name: string;

  @Field(() => [Scope])
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  scopes: Scope[];
}

@ObjectType()
export class CreateApiTokenPayload {
  @Field(() => ApiToken)
  token: ApiToken;

  @Field({ description: 'The token itself. It is shown only this once: store it now.' })
  secret: string;
}

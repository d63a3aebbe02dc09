export const schema = gql`
  type User {
    id: Int!
    email: String!
    name: String
    welcomedAt: DateTime
    createdAt: DateTime!
  }

  type Query {
    users: [User!]! @requireAuth
    user(id: Int!): User @requireAuth
  }

  input CreateUserInput {
    email: String!
    name: String
  }

  type Mutation {
    createUser(input: CreateUserInput!): User! @skipAuth
    deleteUser(id: Int!): User! @requireAuth
  }
`

// A stack's webhook channel, refetched on its own through Query.node by its derived id.
import { graphql } from '../graphql-tag';

export const webhookChannelCardFragment = graphql`
  fragment WebhookChannelCard_channel on WebhookChannel
  @refetchable(queryName: "WebhookChannelCardRefetchQuery") {
    id
    configured
    enabled
    urlHint
    secretHint
  }
`;

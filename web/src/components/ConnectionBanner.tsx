// Says so while the server cannot be reached; the views read their data again by themselves once it is back.
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../hooks/session';

export function ConnectionBanner() {
  const { connection } = useSession();
  const [online, setOnline] = useState(connection.online);
  useEffect(() => {
    setOnline(connection.online);
    return connection.onChange(setOnline);
  }, [connection]);
  // The live region is always there, so that screen readers announce the text when it appears.
  return (
    <div
      class={online ? 'connection-banner' : 'connection-banner is-offline'}
      role="status"
      aria-live="polite"
    >
      {!online && (
        <p>
          <strong>Offline — reconnecting.</strong> What happens meanwhile shows up here once the server
          answers.
        </p>
      )}
    </div>
  );
}

export function SavedNote({ shown }: { shown: boolean }) {
  return (
    <span class="saved-note" role="status">
      {shown ? 'Saved.' : ''}
    </span>
  );
}

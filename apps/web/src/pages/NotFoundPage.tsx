import { Link } from 'react-router';
import { PageTitle } from '../components/PageTitle.tsx';

export default function NotFoundPage() {
  return (
    <section className="card narrow">
      <PageTitle>Page not found</PageTitle>
      <p>
        There is nothing at this address. <Link to="/">Go to your items</Link>.
      </p>
    </section>
  );
}

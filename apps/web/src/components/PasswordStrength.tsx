import { useEffect, useState } from 'react';
import { passwordAcceptable } from '../auth/password-policy.ts';

type Estimator = typeof import('../design/strength.ts').strengthOf;
let estimator: Promise<Estimator> | null = null;
const load = () => {
  estimator ??= import('../design/strength.ts').then((m) => m.strengthOf);
  return estimator;
};

const LABELS = ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'] as const;

/**
 * A strength bar under a new password: zxcvbn-ts's score (lazy-loaded), capped at "Very weak" while
 * the password breaks a pool rule (too short, on the common list), so the bar never praises a password
 * the pool will refuse. The words are part of the field's description; the bar is decoration.
 */
export function PasswordStrength({ password, related }: { password: string; related?: string[] }) {
  const [score, setScore] = useState<number | null>(null);
  const key = related?.join('\n') ?? '';
  useEffect(() => {
    let live = true;
    if (password === '') {
      setScore(null);
      return;
    }
    void load().then((strengthOf) => {
      if (!live) return;
      setScore(passwordAcceptable(password) ? strengthOf(password, key.split('\n')) : 0);
    });
    return () => {
      live = false;
    };
  }, [password, key]);
  if (score === null) return null;
  return (
    <div className={`strength strength-${score}`}>
      <span className="strength-bar" aria-hidden="true">
        <span style={{ width: `${(score + 1) * 20}%` }} />
      </span>
      <span className="strength-label">Strength: {LABELS[score]}</span>
    </div>
  );
}

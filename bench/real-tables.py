# The peer of bench/real-tables.ts: writes three of scikit-learn's bundled tables, one class cut down, as CSV
# (argv[1] = a directory), or with `lr` scores LogisticRegression(class_weight='balanced') on the splits given
# as JSON on stdin (fitted on train + validation, standardised with their statistics, scored on test).
import csv, json, sys
import numpy as np
from sklearn.datasets import load_wine, load_breast_cancer, load_digits

def cut(X, y, names, keep):
    rng = np.random.RandomState(0)
    rows = []
    for c in range(len(names)):
        idx = np.flatnonzero(y == c)
        n = keep(c, len(idx))
        rows.extend(sorted(rng.choice(idx, n, replace=False)) if n < len(idx) else idx)
    rows = np.array(sorted(rows))
    return X[rows], y[rows]

def write(path, X, y, names, features):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(list(features) + ['label'])
        for xi, yi in zip(X, y):
            w.writerow([repr(float(v)) for v in xi] + [names[yi]])

if sys.argv[1] == 'lr':
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    from sklearn.metrics import balanced_accuracy_score
    job = json.load(sys.stdin)
    out = {}
    for table in job:
        data = np.genfromtxt(table['csv'], delimiter=',', skip_header=1, dtype=str)
        X = data[:, :-1].astype(float); y = data[:, -1]
        scores = []
        for s in table['splits']:
            fit = np.array(s['train'] + s['val']); test = np.array(s['test'])
            scaler = StandardScaler().fit(X[fit])
            m = LogisticRegression(class_weight='balanced', max_iter=10000).fit(scaler.transform(X[fit]), y[fit])
            scores.append(balanced_accuracy_score(y[test], m.predict(scaler.transform(X[test]))))
        out[table['name']] = scores
    json.dump(out, sys.stdout)
else:
    d = sys.argv[1]
    w = load_wine(); names = ['class_0', 'class_1', 'class_2']
    X, y = cut(w.data, w.target, names, lambda c, n: 8 if c == 2 else n)
    write(f'{d}/wine.csv', X, y, names, w.feature_names)
    b = load_breast_cancer(); names = list(b.target_names)
    X, y = cut(b.data, b.target, names, lambda c, n: 20 if names[c] == 'malignant' else n)
    write(f'{d}/breast-cancer.csv', X, y, names, b.feature_names)
    g = load_digits(); names = [f'digit {k}' for k in range(10)]
    X, y = cut(g.data, g.target, names, lambda c, n: round(n * 0.1) if c >= 5 else n)
    write(f'{d}/digits.csv', X, y, names, [f'px{k}' for k in range(64)])

"""The exercises of notebook 12 (experiments): choosing on validation, what a setting costs, seeds."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from helpers.exercises.core import Exercise, Wrong, as_integer, as_number


def _rows(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    rows = list(rows)
    needed = {"hidden_units", "epochs", "validation_accuracy", "test_accuracy", "train_seconds", "run_seconds"}
    if not rows or any(not isinstance(row, Mapping) or not needed <= set(row) for row in rows):
        raise ValueError(f"rows must be the grid's results from experiments.run_grid, each with {sorted(needed)}.")
    return rows


# Exercise 1: choosing the setting by hand, on validation accuracy.

def _expect_choice(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    rows = _rows(rows)
    best = max(rows, key=lambda row: row["validation_accuracy"])
    best_test = max(rows, key=lambda row: row["test_accuracy"])
    return {"setting": (best["hidden_units"], best["epochs"]), "row": best,
            "by_test": (best_test["hidden_units"], best_test["epochs"])}


def _judge_choice(chosen_units: Any, chosen_epochs: Any, expected: dict[str, Any]) -> str:
    chosen = (as_integer(chosen_units, "chosen_units"), as_integer(chosen_epochs, "chosen_epochs"))
    row = expected["row"]
    if chosen == expected["setting"]:
        return (f"hidden_units={chosen[0]}, epochs={chosen[1]} has the highest validation accuracy, "
                f"{row['validation_accuracy']:.4f}; the test set stays unseen until this choice is made.")
    if chosen == expected["by_test"]:
        raise Wrong("that setting has the best test accuracy. Choose on validation accuracy, so that the test set "
                    "stays a fair final exam of the chosen setting.")
    raise Wrong(f"hidden_units={chosen[0]}, epochs={chosen[1]} is not the setting with the highest "
                "'validation_accuracy' in rows.")


exercise_1 = Exercise(
    "12", 1,
    hint="max(rows, key=lambda row: row['validation_accuracy']) is the row with the highest validation accuracy.",
    answers=("chosen_units", "chosen_epochs"),
    expect=_expect_choice, judge=_judge_choice,
    describe=lambda expected: f"chosen_units, chosen_epochs = {expected['setting']}",
)


# Exercise 2: how many times longer the chosen setting trains than the quickest run.

def _expect_cost(rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    rows = _rows(rows)
    best = max(rows, key=lambda row: row["validation_accuracy"])
    return {"ratio": best["train_seconds"] / min(row["train_seconds"] for row in rows),
            "run_ratio": best["run_seconds"] / min(row["run_seconds"] for row in rows)}


def _judge_cost(time_ratio: Any, expected: dict[str, float]) -> str:
    ratio = as_number(time_ratio, "time_ratio")
    if abs(ratio - expected["ratio"]) < 0.01:
        return (f"the chosen setting spends {ratio:.1f} times as long in fit as the quickest run. Whether that is "
                "worth its accuracy is a choice the table lets you make.")
    if abs(ratio - expected["run_ratio"]) < 0.01:
        raise Wrong("that uses run_seconds, the whole notebook with its start-up and data loading. Compare "
                    "train_seconds, the time spent in fit.")
    if ratio > 0 and abs(1 / ratio - expected["ratio"]) < 0.01:
        raise Wrong("the ratio is upside down: the chosen run's time over the quickest run's.")
    raise Wrong("divide the chosen run's train_seconds by the smallest train_seconds in rows.")


exercise_2 = Exercise(
    "12", 2,
    hint="min(row['train_seconds'] for row in rows) is the quickest run's time in fit.",
    answers=("time_ratio",),
    expect=_expect_cost, judge=_judge_cost,
    describe=lambda expected: f"time_ratio = {expected['ratio']:.2f}",
)

# Exercise 3 is a question to think about: would another seed choose the same setting?
exercise_3 = Exercise(
    "12", 3,
    hint="Compare the gap between the best and the second-best validation accuracy with how much the seed alone "
         "moved notebook 06's accuracy.",
)

#: The notebook's exercises, in order.
EXERCISES = (exercise_1, exercise_2, exercise_3)

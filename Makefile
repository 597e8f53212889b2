# The two commands of the README, and what integrators run. All stop with a
# clear message when Odoo 18 is not importable (set ODOO_PATH=/path/to/odoo-18.0
# to use a source checkout).
.PHONY: demo test test-odoo lint wheel readme bench bench-analytics screenshots help

help:
	@echo "make demo       # Odoo 18 + rma_returns + demo data on http://127.0.0.1:8069"
	@echo "make test       # checks + wheel + fresh database + the whole suite (pytest-odoo)"
	@echo "make test-odoo  # the whole suite under Odoo's own runner, as OCA's CI runs it"
	@echo "make lint       # every pre-commit hook, pylint's optional checks included"
	@echo "make readme     # each addon's README.rst and index.html from its readme/*.md"
	@echo "make wheel      # dist/odoo_addon_<addon>-<version>-py3-none-any.whl for each addon, checked"
	@echo "make screenshots # the README's user-guide screenshots, from a demo database (rma_shots)"

demo:
	@bash tools/demo.sh

test:
	@bash tools/test.sh $(PYTEST_ARGS)

test-odoo:
	@bash tools/test_odoo.sh

lint:
	@python3 -m pre_commit run --all-files

wheel:
	@bash tools/check_wheel.sh

readme:
	@python3 tools/gen_readme.py

bench:
	@bash bench/run.sh

screenshots:
	@bash tools/screenshots.sh

bench-analytics:
	@bash bench/run.sh --analytics

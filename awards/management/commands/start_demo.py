import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Migrate, load the demo registry and serve it at http://127.0.0.1:8000 with the worker that "
            "runs long exports, imports and print batches (development only).")

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the demo, do not start the server.")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Open http://{addrport}/ and sign in with an account above."))
        if no_serve:
            return
        # The worker (django-tasks' database backend) in a process of its own, as in production.
        worker = subprocess.Popen([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "db_worker",
                                   "--no-reload", "--interval", "0.5", "--verbosity", "0"], cwd=settings.BASE_DIR)
        self.stdout.write("The worker for long work is running (manage.py db_worker).")
        # Stopped by a signal as by Ctrl+C: the worker goes with the server.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

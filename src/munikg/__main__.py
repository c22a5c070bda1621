from munikg.cli import app

app(prog_name="munikg")

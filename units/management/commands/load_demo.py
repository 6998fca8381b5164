from django.core.management.base import BaseCommand

from units.demo import load_demo


class Command(BaseCommand):
    help = "载入演示数据（六个租户、各级机构、各角色用户），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不打印演示账号")

    def handle(self, *args, quiet=False, **options):
        logins = load_demo()
        if quiet:
            return
        self.stdout.write("演示账号（申报人用身份证号登录，工作人员用用户名登录）：")
        for row in logins:
            self.stdout.write(f"  {row['tenant']:<14}{row['role']:<14}{row['login']:<34}{row['password']}")
        self.stdout.write("打开 http://127.0.0.1:8000/ 登录。")

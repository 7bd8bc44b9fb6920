"""The seed's ten course types (section 三 and the HR plan); HR may add more."""

from django.db import migrations

COURSES = [
    ("industry", "行业背景", "Industry background"), ("product", "产品知识", "Product knowledge"),
    ("phone_sales", "电话销售", "Phone sales"), ("online_sales", "网络销售", "Online sales"),
    ("communication", "沟通技巧", "Communication"), ("closing", "逼单技巧", "Closing"),
    ("mindset", "销售心态", "Sales mindset"), ("customer_care", "客户维护", "Customer care"),
    ("customer_upgrade", "客户升级", "Customer upgrade"), ("culture", "企业文化", "Company culture"),
]


def add_courses(apps, schema_editor):
    CourseType = apps.get_model("promotions", "CourseType")
    for code, name, name_en in COURSES:
        CourseType.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("promotions", "0001_promotion_paths_training_and_cases")]
    operations = [migrations.RunPython(add_courses, migrations.RunPython.noop)]
